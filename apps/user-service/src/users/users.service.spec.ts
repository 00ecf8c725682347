import { BadRequestException, ConflictException, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AuthenticatedUser, CreateUserDto, MAX_USERS_PER_LIST, Role } from '@petstore/dto';
import { DataSource, EntityManager } from 'typeorm';
import { PasswordHasher } from './password-hasher.service';
import { UserEntity } from './user.entity';
import { userEntity } from './user-entity.fixture';
import { UsersService } from './users.service';

const alice: AuthenticatedUser = { id: 2, username: 'alice', roles: [Role.Customer] };
const owner: AuthenticatedUser = { id: 1, username: 'owner', roles: [Role.StoreOwner] };

/** A user table holding `found` (what any lookup returns) and `otherStoreOwners` more store owners. */
function setUp(found: UserEntity | null, otherStoreOwners = 0) {
  const builder: Record<string, jest.Mock> = {
    where: jest.fn(() => builder),
    andWhere: jest.fn(() => builder),
    setLock: jest.fn(() => builder),
    getOne: jest.fn(async () => found),
    getCount: jest.fn(async () => otherStoreOwners),
  };
  const manager = {
    query: jest.fn(),
    createQueryBuilder: jest.fn(() => builder),
    create: jest.fn((_entity: unknown, values: Partial<UserEntity>) => userEntity(values)),
    save: jest.fn(async (saved: UserEntity | UserEntity[]) => saved),
    delete: jest.fn(),
  };
  const dataSource = {
    manager,
    query: jest.fn(async (): Promise<unknown[]> => []),
    transaction: jest.fn((work: (manager: EntityManager) => unknown) => work(manager as unknown as EntityManager)),
  };
  const hasher = {
    hash: jest.fn(async (password: string) => `hashed:${password.length}`),
    verify: jest.fn(async (_hash: string | undefined, password: string) => password === 'old password'),
  };
  const service = new UsersService(dataSource as unknown as DataSource, hasher as unknown as PasswordHasher);
  return { service, manager, dataSource, hasher };
}

describe('UsersService', () => {
  describe('sign-up', () => {
    it('creates a customer with the hashed password and answers without it', async () => {
      const { service, manager } = setUp(null);
      const input = { username: 'bob', password: 'secret password', email: 'bob@example.com' } as CreateUserDto;
      const user = await service.signUp(input);
      expect(manager.create).toHaveBeenCalledWith(
        UserEntity,
        expect.objectContaining({ username: 'bob', passwordHash: 'hashed:15', roles: [Role.Customer] }),
      );
      expect(user).toMatchObject({ username: 'bob', email: 'bob@example.com', roles: [Role.Customer] });
      expect(user).not.toHaveProperty('password');
      expect(user).not.toHaveProperty('passwordHash');
    });

    it('answers 409 naming a taken username', async () => {
      const { service, dataSource, manager } = setUp(null);
      dataSource.query.mockResolvedValueOnce([{ username: 'Bob' }]);
      await expect(service.signUp({ username: 'bob', password: 'secret password' } as CreateUserDto)).rejects.toThrow(
        new ConflictException('username Bob is already taken'),
      );
      expect(manager.save).not.toHaveBeenCalled();
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
      const { service, manager } = setUp(null);
      await expect(service.createMany(owner, list('a', 'b', 'A'))).rejects.toThrow('username a appears more than once in the list');
      await expect(service.createMany(owner, [])).rejects.toThrow('the list of users is empty');
      const tooMany = list(...Array.from({ length: MAX_USERS_PER_LIST + 1 }, (_, index) => `u${index}`));
      await expect(service.createMany(owner, tooMany)).rejects.toThrow(`at most ${MAX_USERS_PER_LIST} users`);
      expect(manager.save).not.toHaveBeenCalled();
    });

    it('saves the whole list in one transaction, every user a customer', async () => {
      const { service, manager, dataSource } = setUp(null);
      const users = await service.createMany(owner, list('a', 'b'));
      expect(dataSource.transaction).toHaveBeenCalledTimes(1);
      expect(manager.save).toHaveBeenCalledTimes(1);
      expect(users.map((user) => [user.username, user.roles])).toEqual([
        ['a', [Role.Customer]],
        ['b', [Role.Customer]],
      ]);
    });
  });

  describe('reading, updating and deleting', () => {
    it('refuses with 403 a customer asking for another user, before looking anyone up', async () => {
      const { service, manager } = setUp(userEntity({ username: 'bob' }));
      await expect(service.findByName(alice, 'bob')).rejects.toBeInstanceOf(ForbiddenException);
      await expect(service.update(alice, 'bob', { firstName: 'x' })).rejects.toBeInstanceOf(ForbiddenException);
      await expect(service.remove(alice, 'bob')).rejects.toBeInstanceOf(ForbiddenException);
      expect(manager.createQueryBuilder).not.toHaveBeenCalled();
    });

    it('lets a user read themselves in any case of the name, and a store owner read anyone', async () => {
      const { service } = setUp(userEntity({}));
      await expect(service.findByName(alice, 'ALICE')).resolves.toMatchObject({ id: 2, username: 'alice' });
      await expect(service.findByName(owner, 'alice')).resolves.toMatchObject({ id: 2 });
    });

    it('answers 404 for a missing user', async () => {
      const { service } = setUp(null);
      await expect(service.findByName(owner, 'ghost')).rejects.toThrow('user ghost not found');
    });

    it('changes only the fields present and keeps tokens valid', async () => {
      const { service, manager } = setUp(userEntity({ firstName: 'Alice', email: 'old@example.com' }));
      const user = await service.update(alice, 'alice', { email: 'new@example.com' });
      expect(user).toMatchObject({ firstName: 'Alice', email: 'new@example.com' });
      expect(manager.save).toHaveBeenCalledWith(expect.objectContaining({ tokenVersion: 0 }));
    });

    it('changes your own password only with the current one, and then ends every earlier token', async () => {
      const { service, manager, hasher } = setUp(userEntity({}));
      await expect(service.update(alice, 'alice', { password: 'new password' })).rejects.toThrow(
        new BadRequestException('currentPassword is required to change your own password'),
      );
      await expect(service.update(alice, 'alice', { password: 'new password', currentPassword: 'a guess' })).rejects.toThrow(
        new ForbiddenException('currentPassword is not the current password'),
      );
      expect(manager.save).not.toHaveBeenCalled();

      await service.update(alice, 'alice', { password: 'new password', currentPassword: 'old password' });
      expect(hasher.verify).toHaveBeenLastCalledWith(expect.any(String), 'old password');
      expect(manager.save).toHaveBeenCalledWith(expect.objectContaining({ passwordHash: 'hashed:12', tokenVersion: 1 }));
    });

    it("lets a store owner reset another user's password without it, ending that user's tokens", async () => {
      const { service, manager, hasher } = setUp(userEntity({}));
      await service.update(owner, 'alice', { password: 'new password' });
      expect(hasher.verify).not.toHaveBeenCalled();
      expect(manager.save).toHaveBeenCalledWith(expect.objectContaining({ passwordHash: 'hashed:12', tokenVersion: 1 }));
    });

    it('ends the old tokens on a rename', async () => {
      const { service, manager } = setUp(userEntity({}));
      await service.update(alice, 'alice', { username: 'alicia' });
      expect(manager.save).toHaveBeenCalledWith(expect.objectContaining({ username: 'alicia', tokenVersion: 1 }));
    });

    it('deletes a store owner only while another one remains', async () => {
      const last = setUp(userEntity({ username: 'owner', roles: [Role.StoreOwner] }), 0);
      await expect(last.service.remove(owner, 'owner')).rejects.toThrow(
        new ConflictException('owner is the last store owner and cannot be deleted'),
      );
      expect(last.manager.delete).not.toHaveBeenCalled();
      expect(last.manager.query).toHaveBeenCalledWith(expect.stringContaining('pg_advisory_xact_lock'));

      const notLast = setUp(userEntity({ username: 'owner', roles: [Role.StoreOwner] }), 1);
      await notLast.service.remove(owner, 'owner');
      expect(notLast.manager.delete).toHaveBeenCalledWith(UserEntity, { id: '2' });
    });
  });

  describe('roles', () => {
    it('are changed by store owners only', async () => {
      const { service } = setUp(userEntity({}));
      await expect(service.setRoles(alice, 'alice', [Role.StoreOwner])).rejects.toBeInstanceOf(ForbiddenException);
    });

    it('cannot demote the last store owner', async () => {
      const { service, manager } = setUp(userEntity({ username: 'owner', roles: [Role.StoreOwner] }), 0);
      await expect(service.setRoles(owner, 'owner', [Role.Customer])).rejects.toThrow(
        'owner is the last store owner and cannot be demoted',
      );
      expect(manager.save).not.toHaveBeenCalled();
    });

    it('end the old tokens when they change, and only then', async () => {
      const changed = setUp(userEntity({}));
      await changed.service.setRoles(owner, 'alice', [Role.StoreOwner, Role.Customer]);
      expect(changed.manager.save).toHaveBeenCalledWith(
        expect.objectContaining({ roles: [Role.Customer, Role.StoreOwner], tokenVersion: 1 }),
      );
      const same = setUp(userEntity({}));
      await same.service.setRoles(owner, 'alice', [Role.Customer]);
      expect(same.manager.save).toHaveBeenCalledWith(expect.objectContaining({ tokenVersion: 0 }));
    });
  });

  describe('store owner seeding', () => {
    it('creates the store owner when missing and leaves an existing user alone', async () => {
      const missing = setUp(null);
      missing.dataSource.query.mockResolvedValueOnce([{ id: '1' }]);
      await missing.service.seedStoreOwner('owner', 'owner password');
      expect(missing.dataSource.query).toHaveBeenCalledWith(expect.stringContaining('ON CONFLICT (lower(username)) DO NOTHING'), [
        'owner',
        'hashed:14',
        [Role.StoreOwner],
      ]);

      const existing = setUp(userEntity({ username: 'owner', roles: [Role.StoreOwner] }));
      await existing.service.seedStoreOwner('owner', 'another password');
      expect(existing.dataSource.query).not.toHaveBeenCalled();
      expect(existing.hasher.hash).not.toHaveBeenCalled();
    });
  });
});
