import { Role } from '@petstore/dto';
import { UserEntity } from './user.entity';

/** A stored user for unit tests: alice, a customer with nothing but a username set, unless told otherwise. */
export function userEntity(values: Partial<UserEntity>): UserEntity {
  return Object.assign(new UserEntity(), {
    id: '2',
    username: 'alice',
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    userStatus: null,
    passwordHash: '$argon2id$hash',
    roles: [Role.Customer],
    tokenVersion: 0,
    ...values,
  });
}
