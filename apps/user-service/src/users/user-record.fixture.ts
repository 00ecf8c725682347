import { Role } from '@petstore/dto';
import { UserRecord } from './user-record';

/** A stored user for unit tests: alice, a customer with nothing but a username set, unless told otherwise. */
export function userRecord(values: Partial<UserRecord>): UserRecord {
  return {
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
    version: 1,
    ...values,
  };
}
