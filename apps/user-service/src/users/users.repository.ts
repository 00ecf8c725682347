import { Injectable } from '@nestjs/common';
import { Role } from '@petstore/dto';
import { DataSource, EntityManager } from 'typeorm';
import { UserRecord } from './user-record';

const USER_COLUMNS = `id::text AS id, username, first_name AS "firstName", last_name AS "lastName", email, phone,
  user_status AS "userStatus", password_hash AS "passwordHash", roles, token_version AS "tokenVersion", version`;

export type NewUser = Omit<UserRecord, 'id' | 'tokenVersion' | 'version'>;

/** user_db's users, in SQL. Usernames are unique, and looked up, regardless of case. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The user with this username in any case; `lock` holds the row until the transaction ends. */
  async byName(username: string, { manager = this.dataSource.manager, lock = false } = {}): Promise<UserRecord | null> {
    const rows: UserRecord[] = await manager.query(
      `SELECT ${USER_COLUMNS} FROM users WHERE lower(username) = lower($1)${lock ? ' FOR UPDATE' : ''}`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** Which of these usernames are taken, as their holders spell them. */
  async taken(manager: EntityManager, usernames: string[]): Promise<string[]> {
    const rows: { username: string }[] = await manager.query(`SELECT username FROM users WHERE lower(username) = ANY($1)`, [
      usernames.map((username) => username.toLowerCase()),
    ]);
    return rows.map((row) => row.username);
  }

  async insert(manager: EntityManager, user: NewUser): Promise<UserRecord> {
    const [row]: UserRecord[] = await manager.query(
      `INSERT INTO users (username, first_name, last_name, email, phone, user_status, password_hash, roles)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`,
      [user.username, user.firstName, user.lastName, user.email, user.phone, user.userStatus, user.passwordHash, user.roles],
    );
    return row;
  }

  /** The store owner the configuration names, unless a user of that name exists; whether it was created. */
  async insertStoreOwnerUnlessTaken(username: string, passwordHash: string): Promise<boolean> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO users (username, password_hash, roles) VALUES ($1, $2, $3)
       ON CONFLICT (lower(username)) DO NOTHING RETURNING id`,
      [username, passwordHash, [Role.StoreOwner]],
    );
    return inserted.length > 0;
  }

  /** Writes the user's fields, one version past the row's. */
  async update(manager: EntityManager, user: UserRecord): Promise<UserRecord> {
    const [rows]: [UserRecord[], number] = await manager.query(
      `UPDATE users SET username = $2, first_name = $3, last_name = $4, email = $5, phone = $6, user_status = $7,
         password_hash = $8, roles = $9, token_version = $10, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [
        user.id,
        user.username,
        user.firstName,
        user.lastName,
        user.email,
        user.phone,
        user.userStatus,
        user.passwordHash,
        user.roles,
        user.tokenVersion,
      ],
    );
    return rows[0];
  }

  /** Which of these user ids belong to a user: ids are never given again, so one missing is a deleted user's. */
  async existing(ids: number[]): Promise<number[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id::text AS id FROM users WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.map((row) => Number(row.id));
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM users WHERE id = $1`, [id]);
  }

  /**
   * After a password change: the addresses the user logged in from (see LoginThrottle) are
   * strangers again, but for `kept`, the one the change was made from.
   */
  async forgetLoginClients(manager: EntityManager, userId: string, kept: string | undefined): Promise<void> {
    await manager.query(`DELETE FROM login_known_clients WHERE user_id = $1 AND client IS DISTINCT FROM $2`, [userId, kept ?? null]);
  }

  /** Every token issued to the user so far stops working; false when there is no such user. */
  async endSessions(username: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE users SET token_version = token_version + 1, updated_at = now() WHERE lower(username) = lower($1)`,
      [username],
    );
    return affected > 0;
  }

  /** Serializes every change that could leave the store without an owner. */
  async lockStoreOwners(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('store-owners'))`);
  }

  async countOtherStoreOwners(manager: EntityManager, id: string): Promise<number> {
    const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM users WHERE $1 = ANY(roles) AND id <> $2`, [
      Role.StoreOwner,
      id,
    ]);
    return count;
  }
}
