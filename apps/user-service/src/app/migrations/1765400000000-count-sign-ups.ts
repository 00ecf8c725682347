import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-ups per client address in the current window (see SignUpThrottle). */
export class CountSignUps1765400000000 implements MigrationInterface {
  name = 'CountSignUps1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sign_up_attempts (
        client varchar(128) PRIMARY KEY,
        attempts int NOT NULL,
        window_started_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sign_up_attempts`);
  }
}
