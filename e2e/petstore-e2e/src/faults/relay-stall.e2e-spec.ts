import { Client } from 'pg';
import { eventually } from '../support/api';
import { databaseUrlOf, inDatabase } from '../support/databases';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { createPet } from '../store/store-fixtures';
import { settlesConsistently } from './support/consistency';
import { healthOf } from './support/faults';

const unsent = () =>
  inDatabase(
    'pet-service',
    async (client) =>
      (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox_message WHERE sent_at IS NULL')).rows[0].count,
  );

/**
 * Two instances of a service share one outbox; a relay pass holds an advisory lock so they
 * never publish out of order. An instance that stalls in the middle of a pass must not keep
 * that lock, and with it every instance's relay, for ever.
 */
describe('a relay that stalls while holding the outbox lock', () => {
  it('loses the lock when the database ends its idle transaction, and another instance publishes the backlog', async () => {
    await settlesConsistently();
    const rowLock = new Client({ connectionString: databaseUrlOf('pet-service') });
    await rowLock.connect();
    let second: { name: string } | undefined;
    let frozen = false;
    try {
      // A backlog the relay cannot publish yet.
      stack.kafka('stop');
      await createPet('stalled-relay');
      expect(await unsent()).toBeGreaterThan(0);
      // Hold the backlog's rows, so the next pass publishes them and then waits to mark them sent.
      await rowLock.query('BEGIN');
      await rowLock.query('SELECT id FROM outbox_message WHERE sent_at IS NULL FOR UPDATE');
      stack.kafka('start');
      await eventually(
        () =>
          inDatabase('pet-service', async (client) => {
            const { rows } = await client.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ~* '^\\s*UPDATE\\s+"?outbox_message"?\\s'`,
            );
            return rows.length > 0 ? true : undefined;
          }),
        60000,
        "the relay's pass waiting to mark its rows sent",
      );
      // The only instance stalls mid-pass, holding the advisory lock; its statement then finishes
      // in the server, leaving its transaction idle and open.
      stack.freezeApp('pet-service', true);
      frozen = true;
      await rowLock.query('COMMIT');

      second = await stack.startSecondInstance('pet-service', SUITE_ENVIRONMENT);
      await eventually(async () => ((await unsent()) === 0 ? true : undefined), 120000, 'the second instance to publish the backlog');
    } finally {
      await rowLock.end().catch(() => undefined);
      if (frozen) stack.freezeApp('pet-service', false);
      if (second) await stack.killApp(second.name);
    }
    // The thawed instance has lost its database session and its group membership: it recovers by itself.
    await eventually(async () => ((await healthOf('pet-service')).status === 200 ? true : undefined), 60000, 'pet-service healthy again');
    await settlesConsistently();
  });
});
