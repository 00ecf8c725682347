import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInventory1764200000000 implements MigrationInterface {
  name = 'CreateInventory1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory_pet (
        pet_id bigint PRIMARY KEY,
        status varchar NOT NULL CHECK (status IN ('available', 'pending', 'sold')),
        version int NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX inventory_pet_counted ON inventory_pet (status) WHERE NOT deleted`);
    await queryRunner.query(`
      CREATE TABLE inventory_order (
        order_id bigint PRIMARY KEY,
        pet_id bigint NOT NULL,
        status varchar NOT NULL CHECK (status IN ('placed', 'approved', 'delivered')),
        version int NOT NULL,
        cancelled boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX inventory_order_counted ON inventory_order (status) WHERE NOT cancelled`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inventory_order`);
    await queryRunner.query(`DROP TABLE inventory_pet`);
  }
}
