import { api, eventually } from '../support/api';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import { addPet, getPet, PetBody } from '../pets/support/pets';
import { createPet, orderPet } from '../store/store-fixtures';
import { settlesConsistently } from './support/consistency';
import { databaseReadOnly, healthOf, parkedBy, sleep } from './support/faults';

const READ_ONLY = { status: 503, body: { message: "pet-service's database is read-only; try again later" } };

/** Renames the pet through the gateway as the store owner: a change pet-service writes in a transaction. */
async function renamePet(owner: string, pet: PetBody, name: string): Promise<{ status: number; body: { message?: unknown } }> {
  const { status, body } = await api<{ message?: unknown }>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, name } });
  return status === 200 ? { status, body: {} } : { status, body: { message: body.message } };
}

/**
 * A service's database that accepts no changes for a while, as a former primary does after a
 * failover (a standby): its sessions are ended, the new ones are read-only, and when it accepts
 * changes again the sessions the service opened meanwhile still do not.
 */
describe('a service whose database accepts no changes for a while', () => {
  afterEach(async () => {
    await databaseReadOnly('pet-service', false);
    await databaseReadOnly('inventory-service', false);
  });

  it('pet-service answers changes 503 saying its database is read-only and still serves reads, then changes again by itself', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);

    await databaseReadOnly('pet-service');
    // The ends of its sessions reach pet-service a moment later: a change that meets one first is a 503 too, "unavailable".
    const answers: Awaited<ReturnType<typeof renamePet>>[] = [];
    await eventually(
      async () => {
        const answer = await renamePet(owner, pet, `${pet.name} while read-only`);
        answers.push(answer);
        return answer.body.message === READ_ONLY.body.message || undefined;
      },
      10000,
      'a change refused as read-only',
    );
    expect(answers.filter((answer) => answer.status !== 503)).toEqual([]);
    expect(await renamePet(owner, pet, `${pet.name} while read-only`)).toEqual(READ_ONLY);
    expect((await getPet(pet.id)).body).toMatchObject({ id: pet.id, name: pet.name });
    expect(await healthOf('pet-service')).toMatchObject({ status: 200, body: { details: { database: { status: 'up', state: 'read-only' } } } });
    // The gateway stays healthy, since pet-service still serves, and passes the state on.
    expect(await healthOf('api-gateway')).toMatchObject({
      status: 200,
      body: { details: { services: { status: 'up', 'pet-service': expect.stringMatching(/^up \(.*database read-only/) } } },
    });

    await databaseReadOnly('pet-service', false);
    // Before any change: each probe that meets a session opened while read-only ends it, so a later one meets a new session.
    const database = await eventually(
      async () => {
        const details = (await healthOf('pet-service')).body.details?.database;
        return details?.state === undefined ? details : undefined;
      },
      10000,
      "pet-service's /health no longer saying read-only",
    );
    expect(database).toEqual({ status: 'up' });
    await eventually(
      async () => ((await renamePet(owner, pet, `${pet.name} renamed`)).status === 200 ? true : undefined),
      20000,
      'pet-service accepting changes again',
    );
    expect((await getPet(pet.id)).body).toMatchObject({ id: pet.id, name: `${pet.name} renamed` });
  });

  it('inventory-service waits out its database refusing changes, parks nothing, then counts every change it missed', async () => {
    const alice: TestUser = await signUpCustomer('read-only');
    await settlesConsistently();
    const parkedBefore = await parkedBy('inventory-service');

    await databaseReadOnly('inventory-service');
    const pets = await Promise.all(Array.from({ length: 3 }, () => createPet('read-only')));
    await orderPet(alice.token, pets[0].id);
    // Several of the consumer's retries (its pause grows to 5 s).
    await sleep(10000);

    await databaseReadOnly('inventory-service', false);
    await settlesConsistently();
    expect(await parkedBy('inventory-service')).toEqual(parkedBefore);
  });
});
