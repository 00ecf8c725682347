import { defaultDatabaseOf, SERVICE_NAMES } from '@petstore/platform';
import { WARM_CONNECTIONS } from '@petstore/platform/database';
import { eventually } from '../support/api';
import { appEnvironment, SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, TestUser } from '../support/users';
import { getPet } from '../pets/support/pets';
import { createPet, placeOrder } from '../store/store-fixtures';
import { answersHeldTrue, ordersUnderFault, settlesConsistently } from './support/consistency';
import { DatabaseProxy } from './support/database-proxy';
import { healthOf, sleep } from './support/faults';

const SERVICES_WITH_DATABASES = SERVICE_NAMES.filter((service) => defaultDatabaseOf(service) !== null);
/** About what a restart of a small server takes, and longer than a request's wait for a connection (3 s). */
const OUTAGE_MS = 5000;

async function restartServicesWith(environment: NodeJS.ProcessEnv): Promise<void> {
  for (const service of SERVICES_WITH_DATABASES) await stack.stopApp(service);
  for (const service of SERVICES_WITH_DATABASES) await stack.restartApp(service, environment);
}

/**
 * The PostgreSQL server every service uses crashes and comes back, as after an out-of-memory
 * kill or a power cut: every connection of every service cut at once mid-statement, new ones
 * refused, then accepted again. The services reach the suite's server through a proxy that
 * does that, so no server is really restarted (it may be the developer's own); the server rolls
 * back what the cut connections had not committed, as recovery after a crash does.
 */
describe('the services while their PostgreSQL server crashes and restarts', () => {
  let proxy: DatabaseProxy;
  let customers: TestUser[];

  beforeAll(async () => {
    const serverUrl = new URL(appEnvironment()['DATABASE_URL'] as string);
    proxy = await DatabaseProxy.start({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) });
    const throughProxy = new URL(serverUrl);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    await restartServicesWith({ ...SUITE_ENVIRONMENT, DATABASE_URL: throughProxy.toString() });
    customers = await Promise.all([signUpCustomer('server-crash-a'), signUpCustomer('server-crash-b')]);
  }, 180_000);

  afterAll(async () => {
    await proxy.restart().catch(() => undefined);
    await restartServicesWith(SUITE_ENVIRONMENT);
    await proxy.close();
  }, 180_000);

  it('answers 503 (never 500) and says the database is down while it is away; each service serves again by itself, and nothing is stranded', async () => {
    const pet = await createPet('before the crash');
    let cut = 0;
    const answers = await ordersUnderFault(customers, async () => {
      cut = await proxy.crash();
      try {
        expect(await getPet(pet.id)).toMatchObject({ status: 503, body: { message: "pet-service's database is unavailable; try again later" } });
        for (const service of SERVICES_WITH_DATABASES) {
          expect(await healthOf(service)).toMatchObject({ status: 503, body: { details: { database: { status: 'down' } } } });
        }
        await sleep(OUTAGE_MS);
      } finally {
        await proxy.restart();
      }
    });
    expect(cut).toBeGreaterThanOrEqual(SERVICES_WITH_DATABASES.length * WARM_CONNECTIONS);
    expect(answers.some((answer) => answer.status === 503)).toBe(true);

    await settlesConsistently();
    await answersHeldTrue(answers);
    for (const service of SERVICES_WITH_DATABASES) {
      await eventually(async () => ((await healthOf(service)).status === 200 ? true : undefined), 30000, `${service} healthy again`);
    }
    expect(await getPet(pet.id)).toMatchObject({ status: 200, body: { id: pet.id, status: 'available' } });
    const after = await placeOrder(customers[0].token, { petId: pet.id, quantity: 1 });
    expect(after).toMatchObject({ status: 200, body: { petId: pet.id, status: 'placed' } });
    await settlesConsistently();
  }, 240_000);
});
