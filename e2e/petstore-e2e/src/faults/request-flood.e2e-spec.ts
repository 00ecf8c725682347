import { randomInt, randomUUID } from 'node:crypto';
import { createPet, PetBody } from '../store/store-fixtures';
import { api, ApiResponse } from '../support/api';
import { inDatabase } from '../support/databases';
import { GATEWAY_URL } from '../support/environment';
import { storeOwnerToken } from '../support/users';
import { atTheDefaultOf } from './support/faults';

const DEFAULT_LIMIT = 1200;
const DEFAULT_WINDOW_SECONDS = 60;
const AT_ONCE = 50;

/** A client address of its own, in the benchmarking range, sent as X-Forwarded-For: the suite's gateway trusts its loopback proxy. */
function newClient(): string {
  return `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
}

function readPetAs(client: string, pet: PetBody): Promise<ApiResponse<{ message?: string }>> {
  return api('GET', `/api/v3/pet/${pet.id}`, { headers: { 'x-forwarded-for': client } });
}

/** Sends `count` requests, AT_ONCE at a time, and answers their statuses. */
async function statusesOf(count: number, send: () => Promise<ApiResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < count; sent += AT_ONCE) {
    const batch = await Promise.all(Array.from({ length: Math.min(AT_ONCE, count - sent) }, send));
    statuses.push(...batch.map((answer) => answer.status));
  }
  return statuses;
}

async function petsNamed(name: string): Promise<number> {
  return inDatabase('pet-service', async (client) => (await client.query('SELECT 1 FROM pet WHERE name = $1', [name])).rowCount ?? 0);
}

/**
 * A client sending request after request (searches, failed orders) costs the services a query
 * each, and everyone else waits behind it. The gateway runs here with its default request limit
 * (the suite's other specs send thousands of requests from one address), restarted before and after.
 */
describe('a client flooding the gateway with requests', () => {
  atTheDefaultOf('api-gateway', 'REQUESTS_MAX_PER_CLIENT');

  let pet: PetBody;
  beforeAll(async () => {
    pet = await createPet('flooded');
  });

  it(`is served ${DEFAULT_LIMIT} requests a minute, exactly; past them 429 with Retry-After, and the request reaches no service; other clients are served`, async () => {
    const flooder = newClient();

    const statuses = await statusesOf(DEFAULT_LIMIT + 10, () => readPetAs(flooder, pet));

    expect(statuses.filter((status) => status === 200)).toHaveLength(DEFAULT_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const refused = await readPetAs(flooder, pet);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(
        new RegExp(`^too many requests from this client: at most ${DEFAULT_LIMIT} in ${DEFAULT_WINDOW_SECONDS} seconds; retry after \\d+ seconds$`),
      ),
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULT_WINDOW_SECONDS);

    const name = `refused-${randomUUID().slice(0, 8)}`;
    const write = await api('POST', '/api/v3/pet', {
      token: await storeOwnerToken(),
      json: { name, photoUrls: [], status: 'available' },
      headers: { 'x-forwarded-for': flooder },
    });
    expect(write.status).toBe(429);
    expect(await petsNamed(name)).toBe(0);

    expect((await readPetAs(newClient(), pet)).status).toBe(200);
    expect((await fetch(`${GATEWAY_URL}/health`, { headers: { 'x-forwarded-for': flooder } })).status).toBe(200);
  });
});
