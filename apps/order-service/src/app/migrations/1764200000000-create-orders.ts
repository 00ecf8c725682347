import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764200000000 implements MigrationInterface {
  name = 'CreateOrders1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE order_id_seq AS bigint START WITH 1`);
    await queryRunner.query(`
      CREATE TABLE orders (
        id bigint PRIMARY KEY CHECK (id > 0),
        pet_id bigint NOT NULL CHECK (pet_id > 0),
        user_id bigint NOT NULL CHECK (user_id > 0),
        quantity int NOT NULL CHECK (quantity > 0),
        ship_date timestamptz,
        state varchar NOT NULL
          CHECK (state IN ('requested', 'placed', 'approved', 'delivered', 'cancelled', 'rejected')),
        version int NOT NULL CHECK (version >= 0),
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A pet is held by at most one live order: the backstop behind pet-service's atomic reservation.
    await queryRunner.query(`CREATE UNIQUE INDEX orders_one_live_order_per_pet ON orders (pet_id) WHERE state IN ('placed', 'approved')`);
    await queryRunner.query(`CREATE INDEX orders_by_state ON orders (state, id)`);
    await queryRunner.query(`CREATE INDEX orders_by_user ON orders (user_id, id)`);
    await queryRunner.query(`CREATE INDEX orders_by_pet ON orders (pet_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders`);
    await queryRunner.query(`DROP SEQUENCE order_id_seq`);
  }
}
