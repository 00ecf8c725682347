import { IndexInboxProcessedAt1765100000000 } from '@petstore/messaging';
import { Client } from 'pg';
import { eventually } from '../support/api';
import { databaseUrlOf, inDatabase } from '../support/databases';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { lockWaitsOf, logOf, sleep } from './support/faults';

const MIGRATION = new IndexInboxProcessedAt1765100000000().name;
const INDEX = 'inbox_event_processed_at';
const BUILD = `CREATE INDEX CONCURRENTLY ${INDEX} ON inbox_event USING brin (processed_at)`;
/** Longer than the services' answer timeout (35 s), past which their client closes a connection that has not answered. */
const LONGER_THAN_THE_ANSWER_TIMEOUT_MS = 37_000;

/** Whether the inbox's index is valid (usable by queries); undefined when there is none. */
async function indexValid(): Promise<boolean | undefined> {
  return inDatabase('photo-service', async (client) => {
    const { rows } = await client.query<{ valid: boolean }>('SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)', [INDEX]);
    return rows[0]?.valid;
  });
}

async function timesRecorded(): Promise<number> {
  return inDatabase('photo-service', async (client) => (await client.query('SELECT 1 FROM migrations WHERE name = $1', [MIGRATION])).rowCount ?? 0);
}

/** photo-service's database as before the migration that builds the index: the index gone, the migration not recorded. */
async function indexMigrationPending(): Promise<void> {
  await inDatabase('photo-service', async (client) => {
    await client.query('DELETE FROM migrations WHERE name = $1', [MIGRATION]);
    await client.query(`DROP INDEX IF EXISTS ${INDEX}`);
  });
}

/**
 * A transaction that keeps its snapshot until released, as a long report or a backup would: a
 * concurrent index build waits for it to end before it can finish.
 */
async function olderTransaction(): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: databaseUrlOf('photo-service') });
  await client.connect();
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await client.query('SELECT count(*) FROM inbox_event');
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

/**
 * A deployment whose migration builds an index concurrently on a table in use. The build waits
 * for every older transaction; it failed under the services' lock timeout (10 s), and the client
 * closed its connection past the answer timeout (35 s), and either left an invalid index, which
 * the next start kept, unused, for good (IF NOT EXISTS). photo-service (whose data no later spec
 * checks) has the migration made pending again, and is started with the fault in place.
 */
describe('a migration building an index concurrently', () => {
  let logFrom = 0;

  beforeEach(async () => {
    await stack.stopApp('photo-service');
    logFrom = logOf('photo-service').length;
    await indexMigrationPending();
  });

  afterEach(async () => {
    if (!(await fetch(`${stack.urlOf('photo-service')}/health`).catch(() => undefined))) await stack.restartApp('photo-service', SUITE_ENVIRONMENT);
  });

  function startedCleanly(): void {
    expect(logOf('photo-service').slice(logFrom)).not.toMatch(/Migration "\w+" failed|Unable to connect to the database|did not answer/);
  }

  it('waits for a transaction older than it, past the lock and answer timeouts, and the service starts with the index valid', async () => {
    const releaseOlder = await olderTransaction();
    let started: Promise<void>;
    try {
      started = stack.restartApp('photo-service', SUITE_ENVIRONMENT);
      // Awaited below; a start that fails meanwhile is reported there.
      started.catch(() => undefined);
      await eventually(async () => ((await lockWaitsOf('photo-service')).length > 0 ? true : undefined), 30000, 'the index build to wait');
      await sleep(LONGER_THAN_THE_ANSWER_TIMEOUT_MS);
    } finally {
      await releaseOlder();
    }
    await started;

    expect(await indexValid()).toBe(true);
    expect(await timesRecorded()).toBe(1);
    startedCleanly();
  });

  it('replaces the invalid index a build cut short left behind', async () => {
    const releaseOlder = await olderTransaction();
    try {
      await inDatabase('photo-service', async (client) => {
        await client.query(`SET lock_timeout = '200ms'`);
        await expect(client.query(BUILD)).rejects.toThrow('canceling statement due to lock timeout');
      });
    } finally {
      await releaseOlder();
    }
    expect(await indexValid()).toBe(false);

    await stack.restartApp('photo-service', SUITE_ENVIRONMENT);

    expect(await indexValid()).toBe(true);
    expect(await timesRecorded()).toBe(1);
    startedCleanly();
  });
});
