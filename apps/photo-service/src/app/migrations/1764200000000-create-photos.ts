import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePhotos1764200000000 implements MigrationInterface {
  name = 'CreatePhotos1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE photo (
        id bigserial PRIMARY KEY,
        pet_id bigint NOT NULL,
        pet_version int NOT NULL,
        source varchar(16) NOT NULL CHECK (source IN ('external', 'upload')),
        url varchar(2048),
        content_type varchar(100),
        size_bytes int,
        sha256 char(64),
        additional_metadata varchar(1000),
        data bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT photo_external_has_url CHECK (source <> 'external' OR url IS NOT NULL),
        CONSTRAINT photo_upload_has_bytes CHECK (
          source <> 'upload' OR (data IS NOT NULL AND content_type IS NOT NULL AND sha256 IS NOT NULL AND size_bytes IS NOT NULL)
        )
      )`);
    // Images are compressed already: store them out of line without another compression attempt.
    await queryRunner.query(`ALTER TABLE photo ALTER COLUMN data SET STORAGE EXTERNAL`);
    await queryRunner.query(`CREATE INDEX photo_pet ON photo (pet_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX photo_external_url ON photo (pet_id, url) WHERE source = 'external'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE photo`);
  }
}
