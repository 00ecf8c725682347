import { createIndexConcurrently } from '@petstore/platform/database';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1764028800000 implements MigrationInterface {
  name = 'CreateOutbox1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_message (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic varchar NOT NULL,
        message_key varchar NOT NULL,
        event_type varchar NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX outbox_message_unsent ON outbox_message (id) WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_message`);
  }
}

export class CreateInbox1764028800001 implements MigrationInterface {
  name = 'CreateInbox1764028800001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_event (
        event_id uuid PRIMARY KEY,
        topic varchar NOT NULL,
        event_type varchar NOT NULL,
        aggregate_id varchar NOT NULL,
        aggregate_version int NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE inbox_aggregate_version (
        topic varchar NOT NULL,
        aggregate_id varchar NOT NULL,
        version int NOT NULL,
        PRIMARY KEY (topic, aggregate_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox_aggregate_version`);
    await queryRunner.query(`DROP TABLE inbox_event`);
  }
}

export class AddOutboxTraceparent1764400000000 implements MigrationInterface {
  name = 'AddOutboxTraceparent1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_message ADD COLUMN traceparent varchar`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_message DROP COLUMN traceparent`);
  }
}

/**
 * The index the inbox's purge finds expired rows by (see InboxRetention): BRIN, a summary per
 * block range, which an insert (one per consumed event) all but never has to change, as rows
 * arrive in `processed_at` order. Built concurrently, so consumers keep recording events while it
 * builds on a long-grown table; hence outside a transaction.
 */
export class IndexInboxProcessedAt1765100000000 implements MigrationInterface {
  name = 'IndexInboxProcessedAt1765100000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    await createIndexConcurrently(queryRunner, 'inbox_event_processed_at', 'ON inbox_event USING brin (processed_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS inbox_event_processed_at`);
  }
}
