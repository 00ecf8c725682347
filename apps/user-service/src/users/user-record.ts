import { Role, User } from '@petstore/dto';
import type { Versioned } from '@petstore/platform';

/** A row of user_db's `users`, as UsersRepository reads it. */
export interface UserRecord {
  /** bigint, as Postgres sends it. */
  id: string;
  username: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  userStatus: number | null;
  passwordHash: string;
  roles: Role[];
  /** Bumped when the username, password or roles change, so tokens carrying the old ones stop working. */
  tokenVersion: number;
  /** Bumped by every change of the user's fields or roles: the ETag of the user's answers. */
  version: number;
}

/** The userStatus of a user who has none: 0, as the reference Petstore server (an int field) answers. */
const USER_STATUS_UNSET = 0;

/** The user as responses show it: everything but the password hash and bookkeeping. */
export function toUser(record: UserRecord): User {
  return {
    id: Number(record.id),
    username: record.username,
    firstName: record.firstName ?? undefined,
    lastName: record.lastName ?? undefined,
    email: record.email ?? undefined,
    phone: record.phone ?? undefined,
    userStatus: record.userStatus ?? USER_STATUS_UNSET,
    roles: record.roles,
  };
}

/** The user as responses show it, and the version it is at (its ETag). */
export function versionedUser(record: UserRecord): Versioned<User> {
  return { resource: toUser(record), version: record.version };
}
