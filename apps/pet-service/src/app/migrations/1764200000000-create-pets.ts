import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePets1764200000000 implements MigrationInterface {
  name = 'CreatePets1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE category (
        id bigserial PRIMARY KEY,
        name varchar(100) NOT NULL UNIQUE
      )`);
    await queryRunner.query(`
      CREATE TABLE tag (
        id bigserial PRIMARY KEY,
        name varchar(100) NOT NULL UNIQUE
      )`);
    await queryRunner.query(`
      CREATE TABLE pet (
        id bigserial PRIMARY KEY,
        name varchar(200) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('available', 'pending', 'sold')),
        category_id bigint REFERENCES category (id),
        photo_urls varchar(2048)[] NOT NULL DEFAULT '{}',
        reserved_by_order_id bigint,
        version int NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pet_reserved_unless_available CHECK ((status = 'available') = (reserved_by_order_id IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX pet_status ON pet (status)`);
    await queryRunner.query(`
      CREATE TABLE pet_tag (
        pet_id bigint NOT NULL REFERENCES pet (id) ON DELETE CASCADE,
        tag_id bigint NOT NULL REFERENCES tag (id),
        position int NOT NULL,
        PRIMARY KEY (pet_id, tag_id)
      )`);
    await queryRunner.query(`CREATE INDEX pet_tag_tag ON pet_tag (tag_id)`);
    await queryRunner.query(`
      CREATE TABLE pet_tombstone (
        id bigint PRIMARY KEY,
        version int NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pet_tombstone`);
    await queryRunner.query(`DROP TABLE pet_tag`);
    await queryRunner.query(`DROP TABLE pet`);
    await queryRunner.query(`DROP TABLE tag`);
    await queryRunner.query(`DROP TABLE category`);
  }
}
