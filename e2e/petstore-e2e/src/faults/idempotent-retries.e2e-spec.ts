import { ErrorResponse } from '@petstore/dto';
import { IDEMPOTENCY_KEY_WAIT_MS } from '@petstore/platform';
import { randomUUID } from 'node:crypto';
import { api, ApiResponse, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { login, signUpCustomer, storeOwnerToken } from '../support/users';
import { addPet, getPet, newPet, PetBody, PNG, unique } from '../pets/support/pets';
import { approveOrder, cancelOrder, createPet, getOrder, listOrders, orderPet, petStatus, placeOrder } from '../store/store-fixtures';
import { databaseAway, databaseBack, lockRows, lockTable, sleep, untilWaitingForLock } from './support/faults';

/**
 * Sends `write` while `release` still holds the rows it needs (as a slow migration or a long
 * transaction would): the gateway answers 503; a send made while the first still waits is
 * answered once the rows are released and the first commits.
 */
async function sentAgainWhileTheFirstWaits<T>(release: () => Promise<void>, write: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  let sentWhileRunning: Promise<ApiResponse<T>>;
  try {
    const first = await write();
    expect(first.status).toBe(503);
    sentWhileRunning = write();
    await sleep(300);
  } finally {
    await release();
  }
  return sentWhileRunning;
}

/**
 * A write the gateway gave up on (503 after its 5 s) that pet-service still commits afterwards:
 * a client that sends it again under the same Idempotency-Key gets that pet, not a second one.
 */
describe('a pet created after the gateway answered 503, sent again under its Idempotency-Key', () => {
  it('answers the pet the late commit created, to a send made while it ran and to one made after, and no second pet exists', async () => {
    const owner = await storeOwnerToken();
    const tag = unique('late');
    const body = newPet({ tags: [{ name: tag }] });
    const key = randomUUID();
    const addUnderKey = () => api<PetBody | ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: body, headers: { 'Idempotency-Key': key } });
    const petsTagged = async () => (await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${tag}`)).body;

    // The pet table locked, as by a slow migration: pet-service's insert waits (up to its 10 s lock timeout), the gateway does not.
    const again = await sentAgainWhileTheFirstWaits(await lockTable('pet-service', 'pet'), addUnderKey);

    expect(again).toMatchObject({ status: 200, body: { name: body['name'] } });
    const created = again.body as PetBody;
    expect(await addUnderKey()).toMatchObject({ status: 200, body: { id: created.id } });
    expect((await petsTagged()).map((pet) => pet.id)).toEqual([created.id]);
  });
});

/**
 * A sign-up the gateway gave up on that user-service still commits afterwards: sent again under
 * its key, it answers the user created, where without the key the client would get 409 for the
 * username its own first request took, and could not tell whether its password was set.
 */
describe('a sign-up committed after the gateway answered 503, sent again under its Idempotency-Key', () => {
  it('answers the user the late commit created, to a send made while it ran and to one made after; that user logs in with the password sent', async () => {
    const username = unique('late-signup');
    const password = 'a long enough password';
    const key = randomUUID();
    const signUpUnderKey = () =>
      api<{ id: number; username: string } | ErrorResponse>('POST', '/api/v3/user', {
        json: { username, password },
        headers: { 'Idempotency-Key': key },
      });

    // The users table locked, as by a slow migration: user-service's sign-up waits (up to its 10 s lock timeout), the gateway does not.
    const created = await sentAgainWhileTheFirstWaits(await lockTable('user-service', 'users'), signUpUnderKey);
    expect(created).toMatchObject({ status: 200, body: { username } });
    expect(await signUpUnderKey()).toMatchObject({ status: 200, body: created.body });
    const token = await login(username, password);
    expect(await api('GET', `/api/v3/user/${username}`, { token })).toMatchObject({ status: 200, body: created.body });
  });
});

/**
 * A delete or an order's change the gateway gave up on (503 after its 5 s) that the service still
 * commits afterwards: sent again under the same key, it answers as the first did, where without
 * the key the client would get 404 (or 409) for the change its own first request made.
 */
describe('a delete or order change committed after the gateway answered 503, sent again under its Idempotency-Key', () => {
  it('deletePet: answers 200 to a send made while it ran and to one after; without the key it is 404', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const key = randomUUID();
    const deleteUnderKey = () => api<ErrorResponse>('DELETE', `/api/v3/pet/${pet.id}`, { token: owner, headers: { 'Idempotency-Key': key } });

    const again = await sentAgainWhileTheFirstWaits(await lockRows('pet-service', 'pet', 'id = $1', [pet.id]), deleteUnderKey);

    expect(again.status).toBe(200);
    expect((await deleteUnderKey()).status).toBe(200);
    expect((await getPet(pet.id)).status).toBe(404);
    expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(404);
  });

  it('deleteOrder: answers 200 to a send made while it ran and to one after, and the pet is released; without the key it is 404', async () => {
    const customer = await signUpCustomer('late-cancel');
    const pet = await createPet();
    const order = await orderPet(customer.token, pet.id);
    const key = randomUUID();

    const again = await sentAgainWhileTheFirstWaits(await lockRows('order-service', 'orders', 'id = $1', [order.id]), () =>
      cancelOrder(customer.token, order.id, key),
    );

    expect(again.status).toBe(200);
    expect((await cancelOrder(customer.token, order.id, key)).status).toBe(200);
    expect((await cancelOrder(customer.token, order.id)).status).toBe(404);
    await eventually(async () => ((await petStatus(pet.id)) === 'available' ? true : undefined), 20000, 'the pet to be released');
  });

  it('approveOrder: answers the approved order to a send made while it ran and to one after; without the key it is 409', async () => {
    const owner = await storeOwnerToken();
    const customer = await signUpCustomer('late-approval');
    const order = await orderPet(customer.token, (await createPet()).id);
    const key = randomUUID();

    const again = await sentAgainWhileTheFirstWaits(await lockRows('order-service', 'orders', 'id = $1', [order.id]), () =>
      approveOrder(owner, order.id, key),
    );

    expect(again).toMatchObject({ status: 200, body: { id: order.id, status: 'approved' } });
    expect(await approveOrder(owner, order.id, key)).toMatchObject({ status: 200, body: again.body });
    expect((await approveOrder(owner, order.id)).status).toBe(409);
    expect((await getOrder(customer.token, order.id)).body).toMatchObject({ status: 'approved' });
  });

  it("deleteUser: answers 200 to the store owner's send made while it ran and to one after; without the key it is 404", async () => {
    const owner = await storeOwnerToken();
    const customer = await signUpCustomer('late-deletion');
    const key = randomUUID();
    const deleteUnderKey = () => api('DELETE', `/api/v3/user/${customer.username}`, { token: owner, headers: { 'Idempotency-Key': key } });

    const again = await sentAgainWhileTheFirstWaits(await lockRows('user-service', 'users', 'username = $1', [customer.username]), deleteUnderKey);

    expect(again.status).toBe(200);
    expect((await deleteUnderKey()).status).toBe(200);
    expect((await api('DELETE', `/api/v3/user/${customer.username}`, { token: owner })).status).toBe(404);
  });
});

/**
 * An order whose placement failed because pet-service's database was away (503, the order
 * rejected, no pet held): sent again under the same key once it is back, it places the order,
 * and sent once more it answers that order instead of placing another.
 */
/**
 * An update the gateway gave up on (503 after its 5 s) that pet-service still commits afterwards.
 * The updates take no Idempotency-Key: sent again, an update applies its values again, and would
 * overwrite whatever another client changed in between. Under If-Match a send again finds the
 * pet at another version and is refused (412), so the client reads the pet and sees its change.
 */
describe('an update committed after the gateway answered 503, sent again under If-Match', () => {
  const entityTagOf = async (id: number): Promise<string> => (await getPet(id)).headers.get('etag') as string;
  const renameUnder = (owner: string, pet: PetBody, ifMatch: string, name: string) => () =>
    api<PetBody | ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, name }, headers: { 'If-Match': ifMatch } });

  it('a send made while the first ran is refused with 412 once the first commits; the pet has the change once', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const read = await entityTagOf(pet.id);
    const name = unique('late-update');

    const again = await sentAgainWhileTheFirstWaits(await lockRows('pet-service', 'pet', 'id = $1', [pet.id]), renameUnder(owner, pet, read, name));

    expect(again.status).toBe(412);
    expect((await getPet(pet.id)).body).toEqual({ ...pet, name });
  });

  it('a send made after another client changed the pet the late commit left is refused with 412, and that change stays', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const firstUpdate = renameUnder(owner, pet, await entityTagOf(pet.id), unique('late-update'));

    const release = await lockRows('pet-service', 'pet', 'id = $1', [pet.id]);
    try {
      expect((await firstUpdate()).status).toBe(503);
    } finally {
      await release();
    }
    const lateCommit = await eventually(
      async () => {
        const read = await getPet(pet.id);
        return (read.body as PetBody).name === pet.name ? undefined : read;
      },
      15000,
      'the update the gateway gave up on to commit',
    );
    const otherClients = await renameUnder(owner, pet, lateCommit.headers.get('etag') as string, unique('other-client'))();
    expect(otherClients.status).toBe(200);

    expect((await firstUpdate()).status).toBe(412);
    expect((await getPet(pet.id)).body).toEqual(otherClients.body);
  });
});

/**
 * The same for a user: updateUser takes no key, and an update the gateway gave up on that
 * user-service commits afterwards, sent again, would overwrite the user's own change made in
 * between. Under If-Match the send again is refused (412).
 */
describe('an updateUser committed after the gateway answered 503, sent again under If-Match', () => {
  it('a send made while the first ran is refused with 412 once the first commits; a send after the user changed it again is 412, and that change stays', async () => {
    const alice = await signUpCustomer('late-user-update');
    const read = await api<{ id: number }>('GET', `/api/v3/user/${alice.username}`, { token: alice.token });
    const readTag = read.headers.get('etag') as string;
    const updateUnder = (ifMatch: string, firstName: string) =>
      api<Record<string, unknown> | ErrorResponse>('PUT', `/api/v3/user/${alice.username}`, {
        token: alice.token,
        json: { firstName },
        headers: { 'If-Match': ifMatch },
      });

    const again = await sentAgainWhileTheFirstWaits(await lockRows('user-service', 'users', 'id = $1', [read.body.id]), () =>
      updateUnder(readTag, 'Late'),
    );
    expect(again.status).toBe(412);
    const afterLateCommit = await api<Record<string, unknown>>('GET', `/api/v3/user/${alice.username}`, { token: alice.token });
    expect(afterLateCommit.body).toMatchObject({ firstName: 'Late' });

    const ownChange = await updateUnder(afterLateCommit.headers.get('etag') as string, 'Own');
    expect(ownChange.status).toBe(200);
    expect((await updateUnder(readTag, 'Late')).status).toBe(412);
    expect((await api('GET', `/api/v3/user/${alice.username}`, { token: alice.token })).body).toEqual(ownChange.body);
  });
});

describe('an order that failed while pet-service was away, sent again under its Idempotency-Key', () => {
  afterEach(() => databaseBack('pet-service'));

  it('is placed once pet-service is back, and a further send answers the same order', async () => {
    const customer = await signUpCustomer('idempotent');
    const pet = await createPet();
    const key = randomUUID();
    const order = { petId: pet.id, quantity: 1 };

    await databaseAway('pet-service');
    const failed = await placeOrder(customer.token, order, key);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ message: expect.stringContaining('no order was placed') });
    await databaseBack('pet-service');

    const placed = await eventually(
      async () => {
        const answer = await placeOrder(customer.token, order, key);
        return answer.status === 200 ? answer : undefined;
      },
      15000,
      'the order to be placed under its key',
    );
    const again = await placeOrder(customer.token, order, key);

    expect(again).toMatchObject({ status: 200, body: placed.body });
    expect((await listOrders({ petId: String(pet.id) })).map((listed) => listed.id)).toEqual([placed.body.id]);
    expect(await petStatus(pet.id)).toBe('pending');
  });
});

/**
 * A send made while the first request under its key is still running, past the time a send
 * waits for it (IDEMPOTENCY_KEY_WAIT_MS): refused with 409 naming the key, before the gateway's
 * own timeout, and nothing is made twice; the first goes on to make its write.
 */
describe('a send made while the request under its Idempotency-Key is still running', () => {
  const stillRunning = (key: string) => ({
    status: 409,
    body: { message: expect.stringContaining(`a request under Idempotency-Key '${key}' is still being processed`) },
  });

  it('placeOrder: is refused with 409 naming the key; the first places the one order, which a send after it answers', async () => {
    const customer = await signUpCustomer('overlapping');
    const pet = await createPet();
    const key = randomUUID();
    const order = { petId: pet.id, quantity: 1 };

    // The orders table locked, as by a slow migration: the first request holds its key while its allocation waits.
    const releaseOrders = await lockTable('order-service', 'orders');
    let first: ReturnType<typeof placeOrder> | undefined;
    try {
      first = placeOrder(customer.token, order, key);
      await untilWaitingForLock('order-service');
      const sentAt = Date.now();
      const overlapping = await placeOrder(customer.token, order, key);
      expect(overlapping).toMatchObject(stillRunning(key));
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(IDEMPOTENCY_KEY_WAIT_MS);
    } finally {
      await releaseOrders();
    }

    const placed = await first;
    expect(placed).toMatchObject({ status: 200, body: { petId: pet.id } });
    expect(await placeOrder(customer.token, order, key)).toMatchObject({ status: 200, body: placed?.body });
    expect((await listOrders({ petId: String(pet.id) })).map((listed) => listed.id)).toEqual([placed?.body.id]);
  });

  it("addPet: is refused with 409 naming the key within the gateway's timeout; the first creates the one pet, which a send after it answers", async () => {
    const owner = await storeOwnerToken();
    const tag = unique('overlapping');
    const body = newPet({ tags: [{ name: tag }] });
    const key = randomUUID();
    const addUnderKey = () => api<PetBody | ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: body, headers: { 'Idempotency-Key': key } });

    const releasePetTable = await lockTable('pet-service', 'pet');
    let first: ReturnType<typeof addUnderKey> | undefined;
    try {
      first = addUnderKey();
      await untilWaitingForLock('pet-service');
      expect(await addUnderKey()).toMatchObject(stillRunning(key));
    } finally {
      await releasePetTable();
    }

    const created = await first;
    expect(created).toMatchObject({ status: 200, body: { name: body['name'] } });
    const pet = created?.body as PetBody;
    expect(await addUnderKey()).toMatchObject({ status: 200, body: { id: pet.id } });
    expect((await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${tag}`)).body.map((tagged) => tagged.id)).toEqual([pet.id]);
  });

  it('uploadFile: is refused with 409 naming the key and keeps no copy of its bytes; the first lists the one photo, which a send after it answers', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const key = randomUUID();
    const uploadUnderKey = () =>
      api<{ message: string } | ErrorResponse>('POST', `/api/v3/pet/${pet.id}/uploadImage`, {
        token: owner,
        body: PNG,
        headers: { 'content-type': 'application/octet-stream', 'Idempotency-Key': key },
      });
    const storedUploads = async () =>
      (await inDatabase('photo-service', (client) => client.query(`SELECT id FROM photo WHERE pet_id = $1 AND source = 'upload'`, [pet.id]))).rows;

    // The pet's row locked: the first upload holds its key while listing the photo waits.
    const releasePet = await lockRows('pet-service', 'pet', 'id = $1', [pet.id]);
    let first: ReturnType<typeof uploadUnderKey> | undefined;
    try {
      first = uploadUnderKey();
      await untilWaitingForLock('pet-service');
      expect(await uploadUnderKey()).toMatchObject(stillRunning(key));
    } finally {
      await releasePet();
    }

    const listed = await first;
    expect(listed?.status).toBe(200);
    expect(await uploadUnderKey()).toMatchObject({ status: 200, body: listed?.body });
    const photoUrls = ((await getPet(pet.id)).body as PetBody).photoUrls.filter((url) => url.includes(`/pet/${pet.id}/photos/`));
    expect(photoUrls).toHaveLength(1);
    expect(await storedUploads()).toHaveLength(1);
  });
});
