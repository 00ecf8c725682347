import { MigrationInterface, QueryRunner } from 'typeorm';

/** The client addresses each user logged in from lately (see LoginThrottle). */
export class RememberLoginClients1765500000000 implements MigrationInterface {
  name = 'RememberLoginClients1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_known_clients (
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        client varchar(128) NOT NULL,
        last_login_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, client)
      )`);
    await queryRunner.query(`CREATE INDEX login_known_clients_last_login_at ON login_known_clients (last_login_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_known_clients`);
  }
}
