import { api, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';
import { newPet, PetBody } from '../pets/support/pets';
import { asAdministrator, lockTable, lockWaitsOf, logOf, sleep } from './support/faults';

/** Drops and creates again a service's database in the suite's own stack: empty, as on a new server. */
function emptyDatabaseOf(service: 'photo-service'): Promise<void> {
  return asAdministrator(service, async (admin, database) => {
    await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  });
}

/** How many connections the service's instances hold to its database. */
async function connectionsOf(service: 'photo-service'): Promise<number> {
  return inDatabase(
    service,
    async (client) =>
      (
        await client.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [service],
        )
      ).rows[0].count,
  );
}

/**
 * A deployment starts a service's instances at once, with migrations pending: each instance runs
 * them before it serves. They must take turns (TypeORM takes no lock of its own): two that both
 * found a migration pending both ran it, and the second failed on a table the first had just
 * created; Nest's TypeORM module logged an error and tried that start again 3 s later, and a
 * migration that only changes data would have been applied twice. The fault makes the overlap
 * certain: photo-service (whose data no later spec checks) gets an empty database whose TypeORM
 * `migrations` table is held locked until both instances wait to read it.
 */
describe('two instances of a service started at once with every migration pending', () => {
  afterEach(() => stack.stopApp('photo-service-2').catch(() => undefined));

  it('both start and serve, each migration applied once, neither failing a migration or trying its start again', async () => {
    await stack.stopApp('photo-service');
    const firstLogFrom = logOf('photo-service').length;
    await emptyDatabaseOf('photo-service');
    await inDatabase('photo-service', (client) =>
      client.query('CREATE TABLE migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)'),
    );
    const releaseMigrations = await lockTable('photo-service', 'migrations');
    let started: Promise<unknown>;
    try {
      started = Promise.all([stack.restartApp('photo-service', SUITE_ENVIRONMENT), stack.startSecondInstance('photo-service', SUITE_ENVIRONMENT)]);
      // Awaited below; an instance that exits meanwhile is reported there.
      started.catch(() => undefined);
      // Both wait to read the table, or (taking turns) one does while the other has connected; a
      // moment more lets that one reach its migrations (or its turn) before the table is free.
      await eventually(
        async () => {
          const waiting = (await lockWaitsOf('photo-service')).length;
          return waiting >= 2 || (waiting === 1 && (await connectionsOf('photo-service')) >= 3) ? true : undefined;
        },
        30000,
        'both instances to reach their migrations',
      );
      await sleep(1000);
    } finally {
      await releaseMigrations();
    }
    await started;

    const logs = await eventually(
      async () => {
        const written = [logOf('photo-service').slice(firstLogFrom), logOf('photo-service-2')];
        return written.every((log) => log.includes('Nest application successfully started')) ? written : undefined;
      },
      10000,
      'both instances to log their start',
    );
    for (const log of logs) expect(log).not.toMatch(/Migration "\w+" failed|Unable to connect to the database/);

    const applied = await inDatabase('photo-service', async (client) => (await client.query<{ name: string }>('SELECT name FROM migrations')).rows);
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied.map((row) => row.name)).size).toBe(applied.length);
    const created = await api<PetBody>('POST', '/api/v3/pet', {
      token: await storeOwnerToken(),
      json: newPet({ photoUrls: ['https://example.com/after-the-deployment.png'] }),
    });
    expect(created).toMatchObject({ status: 200, body: { photoUrls: ['https://example.com/after-the-deployment.png'] } });
  });
});
