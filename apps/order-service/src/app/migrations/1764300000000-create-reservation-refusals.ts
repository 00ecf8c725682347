import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reservations refused for an order id this service never allocated. They used to be stored as
 * rejected rows of `orders`, which made allocation retry past the ids they took; kept apart,
 * they still give ORDER_REJECTED a growing version per order id.
 */
export class CreateReservationRefusals1764300000000 implements MigrationInterface {
  name = 'CreateReservationRefusals1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reservation_refusal (
        order_id bigint PRIMARY KEY CHECK (order_id > 0),
        version int NOT NULL CHECK (version > 0),
        reservation jsonb NOT NULL,
        reason text NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reservation_refusal`);
  }
}
