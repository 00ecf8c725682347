import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { AuthenticatedUser, CreateUserDto, hasRole, MAX_USERS_PER_LIST, Role, UpdateUserDto, User } from '@petstore/dto';
import { isPostgresError, PostgresErrorCode, Versioned, VersionPrecondition } from '@petstore/platform';
import { ANONYMOUS_CALLER_ID, IdempotencyKeyReusedException, IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { EntityManager } from 'typeorm';
import { PasswordHasher } from './password-hasher.service';
import { toUser, UserRecord, versionedUser } from './user-record';
import { UsersRepository } from './users.repository';

function isUniqueViolation(error: unknown): boolean {
  return isPostgresError(error, PostgresErrorCode.UniqueViolation);
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A creation sent under an Idempotency-Key, but for the body, which is the users asked for without their passwords. */
type KeyedCreation = Omit<IdempotentRequest, 'body'>;

/**
 * What a creation under an Idempotency-Key records: the users it answered, and the hashes of the
 * passwords they were sent with, which a send again must match. The key's fingerprint leaves the
 * passwords out: a fast hash of a password kept beside its user would undo argon2's slowness.
 */
interface RecordedCreation {
  users: User[];
  passwordHashes: string[];
}

/** A user asked for, as a key's fingerprint takes it: every field but the password (see RecordedCreation). */
function withoutPassword(input: CreateUserDto): Partial<CreateUserDto> {
  const fields: Partial<CreateUserDto> = { ...input };
  delete fields.password;
  return fields;
}

/**
 * Users and their roles. Usernames are unique regardless of case and looked up regardless of
 * case. Reading, changing and deleting a user is for that user or a store owner; anyone else
 * gets 403 before the user is even looked up, so the answer does not reveal who exists.
 */
@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly idempotentRequests: IdempotentRequests,
  ) {}

  /**
   * Sign-up: always a customer, whatever the request says. Sent again under the same
   * Idempotency-Key (and password), it answers the user the first one created.
   */
  async signUp(input: CreateUserDto, idempotencyKey?: string): Promise<User> {
    const keyed = idempotencyKey === undefined ? undefined : { operation: 'createUser', key: idempotencyKey, userId: ANONYMOUS_CALLER_ID };
    const [user] = await this.insert([input], keyed);
    return user;
  }

  /**
   * All or none: one taken or repeated username and no user of the list is created. Sent again
   * under the same Idempotency-Key (and passwords), it answers the users the first one created.
   */
  async createMany(caller: AuthenticatedUser | undefined, inputs: CreateUserDto[], idempotencyKey?: string): Promise<User[]> {
    this.assertStoreOwner(caller, 'create users in bulk');
    if (inputs.length === 0) throw new BadRequestException('the list of users is empty');
    if (inputs.length > MAX_USERS_PER_LIST) {
      throw new BadRequestException(`at most ${MAX_USERS_PER_LIST} users can be created in one call`);
    }
    const names = inputs.map((input) => input.username.toLowerCase());
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    if (repeated.length > 0) throw new ConflictException(`username ${[...new Set(repeated)].join(', ')} appears more than once in the list`);
    const keyed = idempotencyKey === undefined ? undefined : { operation: 'createUsersWithListInput', key: idempotencyKey, userId: caller.id };
    return this.insert(inputs, keyed);
  }

  async findByName(caller: AuthenticatedUser | undefined, username: string): Promise<Versioned<User>> {
    this.assertSelfOrStoreOwner(caller, username, 'read');
    return versionedUser(await this.getByName(username));
  }

  /** Which of these user ids still belong to a user, for order-service to cancel the placed orders of the others. */
  existing(userIds: number[]): Promise<number[]> {
    return this.users.existing(userIds);
  }

  /** The user with this username, any case, or null. */
  findForLogin(username: string): Promise<UserRecord | null> {
    return this.users.byName(username);
  }

  /**
   * The fields present change. A new username or a new password ends every token issued before:
   * a stolen token cannot outlive the password it was stolen with. A new password also forgets
   * the addresses the user logged in from, which the login limit over every address spares, but
   * for the `client` changing their own: whoever held the old one is a stranger to the new one.
   * Changing your own password takes the current one; a store owner resets someone else's
   * without it. Under If-Match, only a user still at a version it names changes (else 412).
   */
  async update(
    caller: AuthenticatedUser | undefined,
    username: string,
    changes: UpdateUserDto,
    precondition?: VersionPrecondition,
    client?: string,
  ): Promise<Versioned<User>> {
    this.assertSelfOrStoreOwner(caller, username, 'update');
    const ownPassword = changes.password !== undefined && sameName(caller.username, username);
    if (ownPassword) await this.assertCurrentPassword(username, changes.currentPassword);
    const passwordHash = changes.password === undefined ? undefined : await this.hasher.hash(changes.password);
    return this.withUniqueUsername(changes.username ?? username, () =>
      this.users.transaction(async (manager) => {
        const user = await this.getByName(username, manager);
        this.assertPrecondition(user, precondition);
        const renamed = changes.username !== undefined && changes.username !== user.username;
        if (renamed) user.username = changes.username as string;
        if (renamed || passwordHash !== undefined) user.tokenVersion += 1;
        if (changes.firstName !== undefined) user.firstName = changes.firstName;
        if (changes.lastName !== undefined) user.lastName = changes.lastName;
        if (changes.email !== undefined) user.email = changes.email;
        if (changes.phone !== undefined) user.phone = changes.phone;
        if (changes.userStatus !== undefined) user.userStatus = changes.userStatus;
        if (passwordHash !== undefined) {
          user.passwordHash = passwordHash;
          await this.users.forgetLoginClients(manager, user.id, ownPassword ? client : undefined);
        }
        return versionedUser(await this.users.update(manager, user));
      }),
    );
  }

  /** Extension: log out everywhere: every token issued to the user so far stops working. */
  async endSessions(caller: AuthenticatedUser | undefined, username: string): Promise<void> {
    this.assertSelfOrStoreOwner(caller, username, 'log out');
    if (!(await this.users.endSessions(username))) throw new NotFoundException(`user ${username} not found`);
  }

  /**
   * deleteUser. Sent again by a store owner under the same Idempotency-Key, it answers as the
   * first did instead of 404; a user who deleted themselves has no token left to send it with
   * (the gateway answers their send again 401, saying their user no longer exists).
   * Under If-Match, only a user still at a version it names is deleted (else 412).
   */
  async remove(caller: AuthenticatedUser | undefined, username: string, idempotencyKey?: string, precondition?: VersionPrecondition): Promise<void> {
    this.assertSelfOrStoreOwner(caller, username, 'delete');
    const keyed = idempotencyKey === undefined ? undefined : { operation: 'deleteUser', key: idempotencyKey, userId: caller.id, body: { username } };
    await this.users.transaction((manager) =>
      this.idempotentRequests.once(manager, keyed, async () => {
        await this.users.lockStoreOwners(manager);
        const user = await this.getByName(username, manager);
        this.assertPrecondition(user, precondition);
        if (user.roles.includes(Role.StoreOwner)) await this.assertAnotherStoreOwner(manager, user, 'deleted');
        await this.users.delete(manager, user.id);
      }),
    );
  }

  /**
   * Extension: a store owner grants or takes roles; tokens issued with the old roles stop
   * working. Under If-Match, only for a user still at a version it names (else 412).
   */
  async setRoles(
    caller: AuthenticatedUser | undefined,
    username: string,
    roles: Role[],
    precondition?: VersionPrecondition,
  ): Promise<Versioned<User>> {
    this.assertStoreOwner(caller, 'change roles');
    return this.users.transaction(async (manager) => {
      await this.users.lockStoreOwners(manager);
      const user = await this.getByName(username, manager);
      this.assertPrecondition(user, precondition);
      if (user.roles.includes(Role.StoreOwner) && !roles.includes(Role.StoreOwner)) {
        await this.assertAnotherStoreOwner(manager, user, 'demoted');
      }
      const sorted = [...roles].sort();
      if (sorted.join() !== [...user.roles].sort().join()) {
        user.roles = sorted;
        user.tokenVersion += 1;
      }
      return versionedUser(await this.users.update(manager, user));
    });
  }

  /** Creates the configured store owner unless a user of that name exists; safe on every start. */
  async seedStoreOwner(username: string, password: string): Promise<void> {
    const existing = await this.findForLogin(username);
    if (existing) {
      if (!existing.roles.includes(Role.StoreOwner)) {
        this.logger.warn(`STORE_OWNER_USERNAME names ${existing.username}, an existing user who is not a store owner; left unchanged`);
      }
      return;
    }
    const passwordHash = await this.hasher.hash(password);
    if (await this.users.insertStoreOwnerUnlessTaken(username, passwordHash)) this.logger.log(`created the store owner ${username}`);
  }

  private async insert(inputs: CreateUserDto[], key?: KeyedCreation): Promise<User[]> {
    const keyed = key && { ...key, body: inputs.map(withoutPassword) };
    const recorded = keyed && (await this.idempotentRequests.recorded<RecordedCreation>(keyed));
    if (recorded) return this.answerAgain(keyed, recorded.answer, inputs);
    // One at a time: a list of a hundred must not take every place in the hashing queue.
    const passwordHashes: string[] = [];
    for (const input of inputs) passwordHashes.push(await this.hasher.hash(input.password));
    const usernames = inputs.map((input) => input.username);
    let created = false;
    const creation = await this.withUniqueUsername(usernames.join(', '), () =>
      this.users.transaction((manager) =>
        this.idempotentRequests.once(manager, keyed, async (): Promise<RecordedCreation> => {
          const taken = await this.users.taken(manager, usernames);
          if (taken.length > 0) throw new ConflictException(`username ${taken.join(', ')} is already taken`);
          const users: User[] = [];
          for (const [index, input] of inputs.entries()) {
            const record = await this.users.insert(manager, {
              username: input.username,
              firstName: input.firstName ?? null,
              lastName: input.lastName ?? null,
              email: input.email ?? null,
              phone: input.phone ?? null,
              userStatus: input.userStatus ?? null,
              passwordHash: passwordHashes[index],
              roles: [Role.Customer],
            });
            users.push(toUser(record));
          }
          created = true;
          return { users, passwordHashes };
        }),
      ),
    );
    return created || !keyed ? creation.users : this.answerAgain(keyed, creation, inputs);
  }

  /** The users an earlier creation under the key answered, if this one sends the same passwords; 422 if not. */
  private async answerAgain(keyed: KeyedCreation, recorded: RecordedCreation, inputs: CreateUserDto[]): Promise<User[]> {
    for (const [index, input] of inputs.entries()) {
      if (!(await this.hasher.verify(recorded.passwordHashes[index], input.password))) throw new IdempotencyKeyReusedException(keyed.key);
    }
    return recorded.users;
  }

  private async withUniqueUsername<T>(username: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`username ${username} is already taken`);
      throw error;
    }
  }

  /** Inside a transaction (`manager` given), the row stays locked until it ends. */
  private async getByName(username: string, manager?: EntityManager): Promise<UserRecord> {
    const user = await this.users.byName(username, manager ? { manager, lock: true } : {});
    if (!user) throw new NotFoundException(`user ${username} not found`);
    return user;
  }

  /** A client that read the user at another version would overwrite changes it has not seen. */
  private assertPrecondition(user: UserRecord, precondition: VersionPrecondition | undefined): void {
    precondition?.assertAllows(user.version, `user ${user.username}`);
  }

  private async assertAnotherStoreOwner(manager: EntityManager, user: UserRecord, change: string): Promise<void> {
    if ((await this.users.countOtherStoreOwners(manager, user.id)) === 0) {
      throw new ConflictException(`${user.username} is the last store owner and cannot be ${change}`);
    }
  }

  private assertStoreOwner(caller: AuthenticatedUser | undefined, action: string): asserts caller is AuthenticatedUser {
    if (!caller) throw new UnauthorizedException('a login is required');
    if (!hasRole(caller, Role.StoreOwner)) throw new ForbiddenException(`only a store owner may ${action}`);
  }

  private async assertCurrentPassword(username: string, currentPassword: string | undefined): Promise<void> {
    if (currentPassword === undefined) throw new BadRequestException('currentPassword is required to change your own password');
    const user = await this.users.byName(username);
    if (!(await this.hasher.verify(user?.passwordHash, currentPassword))) {
      throw new ForbiddenException('currentPassword is not the current password');
    }
  }

  private assertSelfOrStoreOwner(caller: AuthenticatedUser | undefined, username: string, action: string): asserts caller is AuthenticatedUser {
    if (!caller) throw new UnauthorizedException('a login is required');
    if (!sameName(caller.username, username) && !hasRole(caller, Role.StoreOwner)) {
      throw new ForbiddenException(`only ${username} or a store owner may ${action} this user`);
    }
  }
}
