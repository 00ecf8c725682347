import { createIndexConcurrently } from '@petstore/platform/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user's orders still awaiting the store's decision (requested or placed), which placeOrder
 * counts against MAX_PLACED_ORDERS_PER_USER. The index holds only those, few per user; built
 * concurrently (so outside a transaction), as the orders table of a long-running shop is large.
 */
export class IndexOrdersAwaitingDecision1765400000000 implements MigrationInterface {
  name = 'IndexOrdersAwaitingDecision1765400000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexConcurrently(queryRunner, 'orders_awaiting_decision_by_user', `ON orders (user_id) WHERE state IN ('requested', 'placed')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS orders_awaiting_decision_by_user`);
  }
}
