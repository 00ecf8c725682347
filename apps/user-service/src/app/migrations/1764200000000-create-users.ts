import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764200000000 implements MigrationInterface {
  name = 'CreateUsers1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id bigserial PRIMARY KEY,
        username varchar(64) NOT NULL,
        first_name varchar(100),
        last_name varchar(100),
        email varchar(254),
        phone varchar(32),
        user_status int,
        password_hash varchar NOT NULL,
        roles text[] NOT NULL,
        token_version int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Names differing only in case are one name, so no one can pass for "Admin" as "admin".
    await queryRunner.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);
    await queryRunner.query(`
      CREATE TABLE signing_keys (
        kid varchar PRIMARY KEY,
        algorithm varchar NOT NULL,
        private_key text NOT NULL,
        public_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE revoked_tokens (
        jti uuid PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at)`);
    await queryRunner.query(`
      CREATE TABLE login_attempts (
        username varchar(64) NOT NULL,
        client varchar(128) NOT NULL,
        attempts int NOT NULL,
        window_started_at timestamptz NOT NULL,
        PRIMARY KEY (username, client)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_attempts`);
    await queryRunner.query(`DROP TABLE revoked_tokens`);
    await queryRunner.query(`DROP TABLE signing_keys`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
