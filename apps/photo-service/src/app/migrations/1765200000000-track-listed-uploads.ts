import { createIndexConcurrently } from '@petstore/platform/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When pet-service was found to list an upload (see UnlistedUploads). Uploads stored before this
 * migration start unconfirmed, so the first sweeps also find those an earlier crash left behind.
 * The index holds only the unconfirmed ones, few at any time; built concurrently (so outside a
 * transaction), as the photos table of a long-running shop is large.
 */
export class TrackListedUploads1765200000000 implements MigrationInterface {
  name = 'TrackListedUploads1765200000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE photo ADD COLUMN IF NOT EXISTS listed_at timestamptz`);
    await createIndexConcurrently(queryRunner, 'photo_unconfirmed_upload', `ON photo (created_at) WHERE source = 'upload' AND listed_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS photo_unconfirmed_upload`);
    await queryRunner.query(`ALTER TABLE photo DROP COLUMN listed_at`);
  }
}
