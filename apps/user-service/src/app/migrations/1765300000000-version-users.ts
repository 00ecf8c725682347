import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user gets a version, bumped by every change of their fields or roles and shown as the
 * ETag of the user's answers, so a client changes a user only at the version it read (If-Match).
 * Users existing now start at 1; adding a column with a constant default rewrites no rows.
 */
export class VersionUsers1765300000000 implements MigrationInterface {
  name = 'VersionUsers1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN version int NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN version`);
  }
}
