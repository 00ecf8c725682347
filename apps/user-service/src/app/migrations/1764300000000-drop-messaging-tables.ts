import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * user-service neither publishes nor consumes events, yet it used to be built with the
 * messaging library's outbox and inbox tables; a database created back then still has them.
 */
export class DropMessagingTables1764300000000 implements MigrationInterface {
  name = 'DropMessagingTables1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS outbox_message, inbox_event, inbox_aggregate_version`);
  }

  /** Nothing to restore: the tables never held anything of user-service's. */
  async down(): Promise<void> {
    return;
  }
}
