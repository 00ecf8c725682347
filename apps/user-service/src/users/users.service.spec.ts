import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
  PreconditionFailedException,
  UnauthorizedException,
} from '@nestjs/common';
import { AuthenticatedUser, CreateUserDto, MAX_USERS_PER_LIST, Role } from '@petstore/dto';
import { VersionPrecondition } from '@petstore/platform';
import { ANONYMOUS_CALLER_ID, IdempotencyKeyReusedException, IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { EntityManager } from 'typeorm';
import { PasswordHasher } from './password-hasher.service';
import { UserRecord } from './user-record';
import { userRecord } from './user-record.fixture';
import { NewUser, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const alice: AuthenticatedUser = { id: 2, username: 'alice', roles: [Role.Customer] };
const owner: AuthenticatedUser = { id: 1, username: 'owner', roles: [Role.StoreOwner] };

/**
 * Idempotency-Keys as IdempotentRequests keeps them, committed at once: a key names the first
 * request's operation and body, and what it answered. `recorded` finds nothing while
 * `hiddenFromRecorded`, as when the first commits between a send's look and its transaction.
 */
function idempotencyKeys() {
  const requests = new Map<string, { fingerprint: string; answer: unknown }>();
  const state = { hiddenFromRecorded: false };
  const lookUp = (keyed: IdempotentRequest) => {
    const found = requests.get(`${keyed.userId}/${keyed.key}`);
    if (found && found.fingerprint !== JSON.stringify([keyed.operation, keyed.body])) throw new IdempotencyKeyReusedException(keyed.key);
    return found && { answer: found.answer };
  };
  const fake = {
    recorded: jest.fn(async (keyed: IdempotentRequest) => (state.hiddenFromRecorded ? undefined : lookUp(keyed))),
    once: jest.fn(async (_manager: EntityManager, keyed: IdempotentRequest | undefined, write: () => Promise<unknown>) => {
      if (!keyed) return write();
      const recorded = lookUp(keyed);
      if (recorded) return recorded.answer;
      const answer = await write();
      requests.set(`${keyed.userId}/${keyed.key}`, { fingerprint: JSON.stringify([keyed.operation, keyed.body]), answer });
      return answer;
    }),
  };
  return { fake, state };
}

/** A user table holding `found` (what any lookup returns) and `otherStoreOwners` more store owners. */
function setUp(found: UserRecord | null, otherStoreOwners = 0) {
  const manager = {} as EntityManager;
  const users = {
    transaction: jest.fn((work: (manager: EntityManager) => unknown) => work(manager)),
    byName: jest.fn(async () => found),
    taken: jest.fn(async (): Promise<string[]> => []),
    insert: jest.fn(async (_manager: EntityManager, user: NewUser) => userRecord({ ...user, id: '9' })),
    insertStoreOwnerUnlessTaken: jest.fn(async () => true),
    update: jest.fn(async (_manager: EntityManager, user: UserRecord) => ({ ...user, version: user.version + 1 })),
    forgetLoginClients: jest.fn(),
    delete: jest.fn(),
    lockStoreOwners: jest.fn(),
    countOtherStoreOwners: jest.fn(async () => otherStoreOwners),
  };
  const hasher = {
    hash: jest.fn(async (password: string) => `hashed:${password}`),
    verify: jest.fn(async (hash: string | undefined, password: string) => hash === `hashed:${password}`),
  };
  const keys = idempotencyKeys();
  const service = new UsersService(
    users as unknown as UsersRepository,
    hasher as unknown as PasswordHasher,
    keys.fake as unknown as IdempotentRequests,
  );
  return { service, users, hasher, keys };
}

describe('UsersService', () => {
  describe('sign-up', () => {
    it('creates a customer with the hashed password and answers without it', async () => {
      const { service, users } = setUp(null);
      const input = { username: 'bob', password: 'secret password', email: 'bob@example.com' } as CreateUserDto;
      const user = await service.signUp(input);
      expect(users.insert).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ username: 'bob', passwordHash: 'hashed:secret password', roles: [Role.Customer] }),
      );
      expect(user).toMatchObject({ username: 'bob', email: 'bob@example.com', roles: [Role.Customer] });
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('passwordHash');
    });

    it('answers 409 naming a taken username', async () => {
      const { service, users } = setUp(null);
      users.taken.mockResolvedValueOnce(['Bob']);
      await expect(service.signUp({ username: 'bob', password: 'secret password' } as CreateUserDto)).rejects.toThrow(
        new ConflictException('username Bob is already taken'),
      );
      expect(users.insert).not.toHaveBeenCalled();
    });

    describe('sent again under its Idempotency-Key', () => {
      const bob = { username: 'bob', password: 'secret password', email: 'bob@example.com' } as CreateUserDto;

      it('answers the user the first send created, with neither a new hash nor an insert, once the password matches', async () => {
        const { service, users, hasher } = setUp(null);
        const first = await service.signUp(bob, 'key-1');
        users.taken.mockResolvedValue(['bob']);
        await expect(service.signUp({ ...bob } as CreateUserDto, 'key-1')).resolves.toEqual(first);
        expect(hasher.hash).toHaveBeenCalledTimes(1);
        expect(users.insert).toHaveBeenCalledTimes(1);
      });

      it('is 422 naming the key with another password or another user, and creates nothing', async () => {
        const { service, users } = setUp(null);
        await service.signUp(bob, 'key-1');
        await expect(service.signUp({ ...bob, password: 'another password' } as CreateUserDto, 'key-1')).rejects.toThrow(
          new IdempotencyKeyReusedException('key-1'),
        );
        await expect(service.signUp({ ...bob, email: 'robert@example.com' } as CreateUserDto, 'key-1')).rejects.toThrow(
          new IdempotencyKeyReusedException('key-1'),
        );
        expect(users.insert).toHaveBeenCalledTimes(1);
      });

      it('keys every sign-up in the one anonymous scope, fingerprinted without the password', async () => {
        const { service, keys } = setUp(null);
        await service.signUp(bob, 'key-1');
        expect(keys.fake.recorded).toHaveBeenCalledWith({
          operation: 'createUser',
          key: 'key-1',
          userId: ANONYMOUS_CALLER_ID,
          body: [{ username: 'bob', email: 'bob@example.com' }],
        });
      });

      it('checks the password too when the first committed only while this one hashed (found by the claim, not the look before)', async () => {
        const { service, users, keys } = setUp(null);
        const first = await service.signUp(bob, 'key-1');
        keys.state.hiddenFromRecorded = true;
        await expect(service.signUp({ ...bob } as CreateUserDto, 'key-1')).resolves.toEqual(first);
        await expect(service.signUp({ ...bob, password: 'another password' } as CreateUserDto, 'key-1')).rejects.toThrow(
          new IdempotencyKeyReusedException('key-1'),
        );
        expect(users.insert).toHaveBeenCalledTimes(1);
      });
    });
  });

  describe('bulk creation', () => {
    const list = (...names: string[]) => names.map((username) => ({ username, password: 'secret password' }) as CreateUserDto);

    it('is for store owners only', async () => {
      const { service } = setUp(null);
      await expect(service.createMany(undefined, list('a'))).rejects.toBeInstanceOf(UnauthorizedException);
      await expect(service.createMany(alice, list('a'))).rejects.toBeInstanceOf(ForbiddenException);
    });

    it('refuses a name repeated in any case, an empty list and an oversized one', async () => {
      const { service, users } = setUp(null);
      await expect(service.createMany(owner, list('a', 'b', 'A'))).rejects.toThrow('username a appears more than once in the list');
      await expect(service.createMany(owner, [])).rejects.toThrow('the list of users is empty');
      const tooMany = list(...Array.from({ length: MAX_USERS_PER_LIST + 1 }, (_, index) => `u${index}`));
      await expect(service.createMany(owner, tooMany)).rejects.toThrow(`at most ${MAX_USERS_PER_LIST} users`);
      expect(users.insert).not.toHaveBeenCalled();
    });

    it('saves the whole list in one transaction, every user a customer', async () => {
      const { service, users } = setUp(null);
      const created = await service.createMany(owner, list('a', 'b'));
      expect(users.transaction).toHaveBeenCalledTimes(1);
      expect(users.insert).toHaveBeenCalledTimes(2);
      expect(created.map((user) => [user.username, user.roles])).toEqual([
        ['a', [Role.Customer]],
        ['b', [Role.Customer]],
      ]);
    });

    it("sent again under the store owner's Idempotency-Key with the same passwords, answers the users the first send created", async () => {
      const { service, users, keys } = setUp(null);
      const first = await service.createMany(owner, list('a', 'b'), 'key-1');
      await expect(service.createMany(owner, list('a', 'b'), 'key-1')).resolves.toEqual(first);
      const otherPasswords = list('a', 'b').map((input, index) => ({ ...input, password: index === 1 ? 'changed password' : input.password }));
      await expect(service.createMany(owner, otherPasswords, 'key-1')).rejects.toThrow(new IdempotencyKeyReusedException('key-1'));
      expect(users.insert).toHaveBeenCalledTimes(2);
      expect(keys.fake.recorded).toHaveBeenCalledWith(expect.objectContaining({ operation: 'createUsersWithListInput', userId: owner.id }));
    });
  });

  describe('reading, updating and deleting', () => {
    it('refuses with 403 a customer asking for another user, before looking anyone up', async () => {
      const { service, users } = setUp(userRecord({ username: 'bob' }));
      await expect(service.findByName(alice, 'bob')).rejects.toBeInstanceOf(ForbiddenException);
      await expect(service.update(alice, 'bob', { firstName: 'x' })).rejects.toBeInstanceOf(ForbiddenException);
      await expect(service.remove(alice, 'bob')).rejects.toBeInstanceOf(ForbiddenException);
      expect(users.byName).not.toHaveBeenCalled();
    });

    it('lets a user read themselves in any case of the name, and a store owner read anyone, with the version the user is at', async () => {
      const { service } = setUp(userRecord({ version: 4 }));
      await expect(service.findByName(alice, 'ALICE')).resolves.toMatchObject({ resource: { id: 2, username: 'alice' }, version: 4 });
      await expect(service.findByName(owner, 'alice')).resolves.toMatchObject({ resource: { id: 2 } });
    });

    it('answers 404 for a missing user', async () => {
      const { service } = setUp(null);
      await expect(service.findByName(owner, 'ghost')).rejects.toThrow('user ghost not found');
    });

    it('changes only the fields present and keeps tokens valid', async () => {
      const { service, users } = setUp(userRecord({ firstName: 'Alice', email: 'old@example.com' }));
      const user = await service.update(alice, 'alice', { email: 'new@example.com' });
      expect(user).toMatchObject({ resource: { firstName: 'Alice', email: 'new@example.com' }, version: 2 });
      expect(users.update).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ tokenVersion: 0 }));
      expect(users.forgetLoginClients).not.toHaveBeenCalled();
    });

    it('changes your own password only with the current one, then ends every earlier token and forgets every address but this one', async () => {
      const { service, users, hasher } = setUp(userRecord({ passwordHash: 'hashed:old password' }));
      await expect(service.update(alice, 'alice', { password: 'new password' })).rejects.toThrow(
        new BadRequestException('currentPassword is required to change your own password'),
      );
      await expect(service.update(alice, 'alice', { password: 'new password', currentPassword: 'a guess' })).rejects.toThrow(
        new ForbiddenException('currentPassword is not the current password'),
      );
      expect(users.update).not.toHaveBeenCalled();

      expect(users.forgetLoginClients).not.toHaveBeenCalled();

      await service.update(alice, 'alice', { password: 'new password', currentPassword: 'old password' }, undefined, '10.0.0.7');
      expect(hasher.verify).toHaveBeenLastCalledWith(expect.any(String), 'old password');
      expect(users.update).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ passwordHash: 'hashed:new password', tokenVersion: 1 }));
      expect(users.forgetLoginClients).toHaveBeenCalledWith(expect.anything(), '2', '10.0.0.7');
    });

    it("lets a store owner reset another user's password without it, ending that user's tokens and forgetting all their addresses", async () => {
      const { service, users, hasher } = setUp(userRecord({}));
      await service.update(owner, 'alice', { password: 'new password' }, undefined, '10.0.0.1');
      expect(hasher.verify).not.toHaveBeenCalled();
      expect(users.update).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ passwordHash: 'hashed:new password', tokenVersion: 1 }));
      expect(users.forgetLoginClients).toHaveBeenCalledWith(expect.anything(), '2', undefined);
    });

    it('ends the old tokens on a rename', async () => {
      const { service, users } = setUp(userRecord({}));
      await service.update(alice, 'alice', { username: 'alicia' });
      expect(users.update).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ username: 'alicia', tokenVersion: 1 }));
    });

    it('given If-Match, changes a user still at a version it names, and refuses one at another with 412, changing nothing', async () => {
      const { service, users } = setUp(userRecord({ version: 3 }));
      await expect(service.update(alice, 'alice', { email: 'new@example.com' }, VersionPrecondition.parse('"2"'))).rejects.toThrow(
        new PreconditionFailedException(
          'user alice changed since it was read: it is at "3", not "2"; read it again and send the change with its ETag',
        ),
      );
      expect(users.update).not.toHaveBeenCalled();
      await expect(service.update(alice, 'alice', { email: 'new@example.com' }, VersionPrecondition.parse('"2", "3"'))).resolves.toMatchObject({
        version: 4,
      });
    });

    it('given If-Match, deletes a user still at a version it names, and refuses one at another with 412, deleting nothing', async () => {
      const { service, users } = setUp(userRecord({ version: 3 }));
      await expect(service.remove(owner, 'alice', undefined, VersionPrecondition.parse('"2"'))).rejects.toBeInstanceOf(PreconditionFailedException);
      expect(users.delete).not.toHaveBeenCalled();
      await service.remove(owner, 'alice', undefined, VersionPrecondition.parse('"3"'));
      expect(users.delete).toHaveBeenCalledWith(expect.anything(), '2');
    });

    it('deletes a store owner only while another one remains', async () => {
      const last = setUp(userRecord({ username: 'owner', roles: [Role.StoreOwner] }), 0);
      await expect(last.service.remove(owner, 'owner')).rejects.toThrow(new ConflictException('owner is the last store owner and cannot be deleted'));
      expect(last.users.delete).not.toHaveBeenCalled();
      expect(last.users.lockStoreOwners).toHaveBeenCalled();

      const notLast = setUp(userRecord({ username: 'owner', roles: [Role.StoreOwner] }), 1);
      await notLast.service.remove(owner, 'owner');
      expect(notLast.users.delete).toHaveBeenCalledWith(expect.anything(), '2');
    });

    it("under a store owner's Idempotency-Key, deletes the user once and answers a send again as deleted", async () => {
      const { service, users } = setUp(userRecord({}));
      await service.remove(owner, 'alice', 'k-1');
      users.byName.mockResolvedValue(null);

      await expect(service.remove(owner, 'alice', 'k-1')).resolves.toBeUndefined();
      await expect(service.remove(owner, 'alice')).rejects.toBeInstanceOf(NotFoundException);
      await expect(service.remove(owner, 'bob', 'k-1')).rejects.toBeInstanceOf(IdempotencyKeyReusedException);
      expect(users.delete).toHaveBeenCalledTimes(1);
    });
  });

  describe('roles', () => {
    it('are changed by store owners only', async () => {
      const { service } = setUp(userRecord({}));
      await expect(service.setRoles(alice, 'alice', [Role.StoreOwner])).rejects.toBeInstanceOf(ForbiddenException);
    });

    it('given If-Match, are set only for a user still at a version it names (else 412, changing nothing)', async () => {
      const { service, users } = setUp(userRecord({ version: 5 }));
      await expect(service.setRoles(owner, 'alice', [Role.StoreOwner], VersionPrecondition.parse('"4"'))).rejects.toBeInstanceOf(
        PreconditionFailedException,
      );
      expect(users.update).not.toHaveBeenCalled();
      await expect(service.setRoles(owner, 'alice', [Role.StoreOwner], VersionPrecondition.parse('*'))).resolves.toMatchObject({
        resource: { roles: [Role.StoreOwner] },
        version: 6,
      });
    });

    it('cannot demote the last store owner', async () => {
      const { service, users } = setUp(userRecord({ username: 'owner', roles: [Role.StoreOwner] }), 0);
      await expect(service.setRoles(owner, 'owner', [Role.Customer])).rejects.toThrow('owner is the last store owner and cannot be demoted');
      expect(users.update).not.toHaveBeenCalled();
    });

    it('end the old tokens when they change, and only then', async () => {
      const changed = setUp(userRecord({}));
      await changed.service.setRoles(owner, 'alice', [Role.StoreOwner, Role.Customer]);
      expect(changed.users.update).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ roles: [Role.Customer, Role.StoreOwner], tokenVersion: 1 }),
      );
      const same = setUp(userRecord({}));
      await same.service.setRoles(owner, 'alice', [Role.Customer]);
      expect(same.users.update).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ tokenVersion: 0 }));
    });
  });

  describe('store owner seeding', () => {
    it('creates the store owner when missing and leaves an existing user alone', async () => {
      const missing = setUp(null);
      await missing.service.seedStoreOwner('owner', 'owner password');
      expect(missing.users.insertStoreOwnerUnlessTaken).toHaveBeenCalledWith('owner', 'hashed:owner password');

      const existing = setUp(userRecord({ username: 'owner', roles: [Role.StoreOwner] }));
      await existing.service.seedStoreOwner('owner', 'another password');
      expect(existing.users.insertStoreOwnerUnlessTaken).not.toHaveBeenCalled();
      expect(existing.hasher.hash).not.toHaveBeenCalled();
    });
  });
});
