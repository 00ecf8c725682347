import { WARM_CONNECTIONS } from '@petstore/platform/database';
import { api } from './support/api';
import { inDatabase } from './support/databases';
import { signUpCustomer } from './support/users';

/** How long node-postgres leaves a connection idle before closing it, down to the warm ones. */
const POOL_IDLE_TIMEOUT_MS = 10_000;

/** The connections a service holds to its database, as the server lists them by the service's name. */
function openConnectionsOf(service: 'user-service'): Promise<number> {
  return inDatabase(service, async (client) => {
    const { rows } = await client.query<{ count: string }>(
      'SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [service],
    );
    return Number(rows[0].count);
  });
}

describe("a service's database connections", () => {
  it('carry its name, and the warm ones outlast a quiet spell, so the first request after it waits for no new connection', async () => {
    const alice = await signUpCustomer('quiet');
    const reads = await Promise.all(Array.from({ length: 16 }, () => api('GET', `/api/v3/user/${alice.username}`, { token: alice.token })));
    expect(reads.map((read) => read.status)).toEqual(Array(16).fill(200));
    expect(await openConnectionsOf('user-service')).toBeGreaterThanOrEqual(WARM_CONNECTIONS);

    await new Promise((resolve) => setTimeout(resolve, POOL_IDLE_TIMEOUT_MS + 3000));

    expect(await openConnectionsOf('user-service')).toBe(WARM_CONNECTIONS);
  });
});
