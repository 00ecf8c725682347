import { Injectable } from '@nestjs/common';
import { PurgesExpired } from '@petstore/platform/database';
import { DataSource } from 'typeorm';

/**
 * How long an applied event's inbox row is kept. Within it, a copy delivered again (a
 * redelivery after a crash or a rebalance, a relay publishing again after a crash of its own)
 * is told a duplicate by its event id; later, its aggregate's version, which the inbox keeps
 * for good, tells it stale. Either way it is not applied again: the rows only say which.
 */
export const INBOX_EVENT_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** Rows one statement deletes, so a first purge of a long-grown table is many short transactions. */
const INBOX_PURGE_BATCH = 10_000;

/** Answers how many rows it deleted (`deleted`), at most the batch size; rows another purge holds are left to it. */
const PURGE_EXPIRED_BATCH_SQL = `
  WITH expired AS (
    SELECT event_id FROM inbox_event
    WHERE processed_at <= now() - make_interval(secs => $1)
    LIMIT $2
    FOR UPDATE SKIP LOCKED
  ), deleted AS (
    DELETE FROM inbox_event WHERE event_id IN (SELECT event_id FROM expired) RETURNING 1
  )
  SELECT count(*)::int AS deleted FROM deleted`;

/** Something that runs a statement and answers its rows: a DataSource, or a node-postgres client's query adapted. */
export type RowQuery = (sql: string, parameters: unknown[]) => Promise<{ deleted: number }[]>;

/** Deletes every inbox row older than INBOX_EVENT_RETENTION_SECONDS, a batch at a time; answers how many. */
export async function purgeExpiredInboxEvents(query: RowQuery): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ deleted }] = await query(PURGE_EXPIRED_BATCH_SQL, [INBOX_EVENT_RETENTION_SECONDS, INBOX_PURGE_BATCH]);
    total += deleted;
    if (deleted < INBOX_PURGE_BATCH) return total;
  }
}

/** Keeps the inbox from growing for ever: one row per event consumed. */
@Injectable()
export class InboxRetention {
  constructor(private readonly dataSource: DataSource) {}

  @PurgesExpired('inbox events')
  async purgeExpired(): Promise<void> {
    await purgeExpiredInboxEvents((sql, parameters) => this.dataSource.query(sql, parameters));
  }
}
