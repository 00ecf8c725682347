import { ErrorResponse } from '@petstore/dto';
import { WARM_CONNECTIONS } from '@petstore/platform/database';
import { eventually } from '../support/api';
import { appEnvironment, SUITE_ENVIRONMENT } from '../support/environment';
import { serviceToken } from '../support/service-identities';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';
import { addPet, getPet, PET_SERVICE_URL, PetBody } from '../pets/support/pets';
import { STORE_OWNER_CALLER } from '../store/store-fixtures';
import { DatabaseProxy } from './support/database-proxy';

/** Renames the pet on pet-service itself, as the gateway does for the store owner: a write in a transaction. */
async function renamePet(pet: PetBody, name: string): Promise<{ status: number; message?: ErrorResponse['message'] }> {
  const response = await fetch(`${PET_SERVICE_URL}/pets`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${serviceToken('api-gateway', 'pet-service', { user: STORE_OWNER_CALLER })}`,
    },
    body: JSON.stringify({ ...pet, name }),
  });
  const body = (await response.json()) as ErrorResponse;
  return response.status === 200 ? { status: 200 } : { status: response.status, message: body.message };
}

/**
 * The database's connections go silent, as behind a firewall that forgot them or after a server
 * failed over: no answer, no reset, the client's statements simply never answered. pet-service
 * reaches its database through a proxy that does that to every connection it holds; then new
 * connections get through again while the silenced ones stay silent.
 */
describe('pet-service when the connections to its database go silent', () => {
  const databaseUrl = new URL(appEnvironment()['DATABASE_URL'] as string);
  let proxy: DatabaseProxy;

  beforeAll(async () => {
    proxy = await DatabaseProxy.start({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
    const throughProxy = new URL(databaseUrl);
    throughProxy.hostname = '127.0.0.1';
    throughProxy.port = String(proxy.port);
    await stack.stopApp('pet-service');
    await stack.restartApp('pet-service', { ...SUITE_ENVIRONMENT, DATABASE_URL: throughProxy.toString() });
  });

  afterAll(async () => {
    // A pet-service still waiting on a silent connection (the spec failed) is killed, so the suite goes on.
    await stack.stopApp('pet-service').catch(() => stack.killApp('pet-service'));
    await proxy.close();
    await stack.restartApp('pet-service', SUITE_ENVIRONMENT);
  });

  it('answers 503 naming its database (never 500), closes every silent connection, and serves on new ones while those stay silent', async () => {
    const owner = await storeOwnerToken();
    const pets = await Promise.all(Array.from({ length: 4 }, () => addPet(owner)));

    const silenced = proxy.silenceAll();
    expect(silenced).toBeGreaterThanOrEqual(WARM_CONNECTIONS);
    // More writes at once than pet-service holds connections, so each one it holds is given a statement.
    const whileSilent = await Promise.all(
      Array.from({ length: silenced + 4 }, (_, index) => renamePet(pets[index % pets.length], `renamed while silent ${index}`)),
    );
    expect(whileSilent).toEqual(whileSilent.map(() => ({ status: 503, message: "pet-service's database is unavailable; try again later" })));

    proxy.passNewConnections();
    // A connection the relay or a consumer was using between two statements got its next one a moment after the writes.
    await eventually(async () => proxy.silentConnectionsOpen === 0 || undefined, 10000, 'every silent connection closed by pet-service');
    for (const pet of pets) expect((await getPet(pet.id)).body).toMatchObject({ id: pet.id, name: pet.name });
    for (const pet of pets) {
      expect(await renamePet(pet, `${pet.name} renamed`)).toEqual({ status: 200 });
      expect((await getPet(pet.id)).body).toMatchObject({ id: pet.id, name: `${pet.name} renamed` });
    }
  }, 120_000);
});
