import { Role } from '@petstore/dto';
import { identityKeyVariableOf, SERVICE_NAMES, ServiceName } from '@petstore/platform';
import { api } from '../support/api';
import { serviceToken } from '../support/service-identities';
import { TEST_IDENTITY_ENVIRONMENT, TEST_IDENTITY_KEYS } from '../support/service-identity-keys';
import { stack } from '../support/stack';
import { orderPet } from '../store/store-fixtures';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import { addPet, getPet, PetBody, reserve, unallocatedOrderId } from '../pets/support/pets';

const USER_SERVICE_URL = stack.urlOf('user-service');
const PET_SERVICE_URL = stack.urlOf('pet-service');
const ORDER_SERVICE_URL = stack.urlOf('order-service');

/** A call straight to a service's port, past the gateway, as anyone on the network could make it. */
async function direct(url: string, method: string, headers: Record<string, string> = {}, json?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { message?: string }) : undefined };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('services behind the gateway authenticate their callers', () => {
  let customer: TestUser;
  let pet: PetBody;

  beforeAll(async () => {
    customer = await signUpCustomer('zero-trust');
    pet = await addPet(await storeOwnerToken());
  });

  it("refuses a role change with forged caller headers straight to user-service's port, and the user stays a customer", async () => {
    const forged = { 'x-user-id': '1', 'x-username': customer.username, 'x-user-roles': 'storeOwner' };
    const response = await direct(`${USER_SERVICE_URL}/users/${customer.username}/roles`, 'PUT', forged, { roles: ['storeOwner'] });

    expect(response.status).toBe(401);
    expect(response.body?.message).toContain('takes a service token from api-gateway');
    const self = await api('GET', `/api/v3/user/${customer.username}`, { token: customer.token });
    expect(self.body).toMatchObject({ roles: ['customer'] });
  });

  it("refuses the customer's own access token straight to user-service, even for their own account", async () => {
    const response = await direct(`${USER_SERVICE_URL}/users/${customer.username}`, 'GET', bearer(customer.token));
    expect(response.status).toBe(401);
  });

  it('refuses an unauthenticated delete straight to pet-service, and the pet is still there', async () => {
    const response = await direct(`${PET_SERVICE_URL}/pets/${pet.id}`, 'DELETE');

    expect(response.status).toBe(401);
    expect((await getPet(pet.id)).status).toBe(200);
  });

  it("refuses the gateway's own signature for a customer deleting a pet: the service checks the role too", async () => {
    const asCustomer = serviceToken('api-gateway', 'pet-service', { user: { id: 2, username: customer.username, roles: [Role.Customer] } });
    const response = await direct(`${PET_SERVICE_URL}/pets/${pet.id}`, 'DELETE', bearer(asCustomer));

    expect(response.status).toBe(403);
    expect(response.body?.message).toBe(`DELETE /pets/${pet.id} on pet-service is for storeOwner only`);
    expect((await getPet(pet.id)).status).toBe(200);
  });

  describe("pet-service's reservations, which order-service alone may make", () => {
    const reservation = () => ({ petId: pet.id, orderId: unallocatedOrderId(), userId: 1, quantity: 1 });

    it('refuses a token order-service signed for another service', async () => {
      const response = await direct(`${PET_SERVICE_URL}/reservations`, 'POST', bearer(serviceToken('order-service', 'user-service')), reservation());
      expect(response.status).toBe(401);
      expect(response.body?.message).toMatch(/^the service token is invalid: jwt audience invalid/);
    });

    it('refuses an expired token', async () => {
      const expired = serviceToken('order-service', 'pet-service', { now: new Date(Date.now() - 5 * 60_000) });
      const response = await direct(`${PET_SERVICE_URL}/reservations`, 'POST', bearer(expired), reservation());
      expect(response.status).toBe(401);
      expect(response.body?.message).toBe('the service token has expired');
    });

    it("refuses a user's access token, even a store owner's", async () => {
      const response = await direct(`${PET_SERVICE_URL}/reservations`, 'POST', bearer(await storeOwnerToken()), reservation());
      expect(response.status).toBe(401);
    });

    it('refuses the gateway, even signing for a store owner: the endpoint is for order-service alone', async () => {
      const asGateway = serviceToken('api-gateway', 'pet-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      const response = await direct(`${PET_SERVICE_URL}/reservations`, 'POST', bearer(asGateway), reservation());
      expect(response.status).toBe(403);
      expect(response.body?.message).toBe('api-gateway may not call POST /reservations on pet-service');
    });

    it("refuses order-service's own key when it claims to act for a user", async () => {
      const onBehalf = serviceToken('order-service', 'pet-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      const response = await direct(`${PET_SERVICE_URL}/reservations`, 'POST', bearer(onBehalf), reservation());
      expect(response.status).toBe(403);
    });

    it('nothing above reserved the pet', async () => {
      expect((await getPet(pet.id)).body).toMatchObject({ status: 'available' });
    });

    it('accepts order-service', async () => {
      const response = await reserve(pet.id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 });
      expect(response.status).toBe(201);
    });
  });

  describe("pet-service's photo listing, which photo-service alone may read", () => {
    const listing = () => `${PET_SERVICE_URL}/pets/${pet.id}/photo-urls`;

    it('refuses the gateway, even signing for a store owner, and a call without a token', async () => {
      const asGateway = serviceToken('api-gateway', 'pet-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      expect(await direct(listing(), 'GET', bearer(asGateway))).toMatchObject({
        status: 403,
        body: { message: `api-gateway may not call GET /pets/${pet.id}/photo-urls on pet-service` },
      });
      expect((await direct(listing(), 'GET')).status).toBe(401);
    });

    it('answers photo-service with the URLs the pet lists, and 404 for a pet that does not exist', async () => {
      const asPhotoService = bearer(serviceToken('photo-service', 'pet-service'));
      expect(await direct(listing(), 'GET', asPhotoService)).toMatchObject({ status: 200, body: { photoUrls: pet.photoUrls } });
      expect((await direct(`${PET_SERVICE_URL}/pets/8999999999999/photo-urls`, 'GET', asPhotoService)).status).toBe(404);
    });
  });

  describe("pet-service's pet versions, which inventory-service and photo-service alone may read", () => {
    const versions = `${PET_SERVICE_URL}/pets/versions`;

    it('refuses the gateway, even signing for a store owner, order-service, and a call without a token', async () => {
      const asGateway = serviceToken('api-gateway', 'pet-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      expect(await direct(versions, 'GET', bearer(asGateway))).toMatchObject({
        status: 403,
        body: { message: 'api-gateway may not call GET /pets/versions on pet-service' },
      });
      expect((await direct(versions, 'GET', bearer(serviceToken('order-service', 'pet-service')))).status).toBe(403);
      expect((await direct(versions, 'GET')).status).toBe(401);
    });

    it('answers inventory-service and photo-service each pet with its status and version, a page at a time, and 400 naming a bad page', async () => {
      const owner = await storeOwnerToken();
      const listed = await addPet(owner);
      const version = Number(JSON.parse((await getPet(listed.id)).headers.get('etag') as string));
      for (const caller of ['inventory-service', 'photo-service'] as const) {
        const page = await direct(`${versions}?afterId=${listed.id - 1}&limit=1`, 'GET', bearer(serviceToken(caller, 'pet-service')));
        expect(page).toEqual({ status: 200, body: [{ id: listed.id, status: 'available', version, deleted: false }] });
      }
      expect((await api('DELETE', `/api/v3/pet/${listed.id}`, { token: owner })).status).toBe(200);
      const asInventoryService = bearer(serviceToken('inventory-service', 'pet-service'));
      const deleted = await direct(`${versions}?afterId=${listed.id - 1}&limit=1`, 'GET', asInventoryService);
      expect(deleted).toEqual({ status: 200, body: [{ id: listed.id, status: null, version: version + 1, deleted: true }] });
      const tooLarge = await direct(`${versions}?limit=1001`, 'GET', asInventoryService);
      expect(tooLarge).toMatchObject({ status: 400, body: { message: ['limit must not be greater than 1000'] } });
    });
  });

  describe("order-service's order versions, which inventory-service alone may read", () => {
    const versions = `${ORDER_SERVICE_URL}/orders/versions`;

    it('refuses the gateway signing for a store owner, and a call without a token', async () => {
      const asGateway = serviceToken('api-gateway', 'order-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      expect(await direct(versions, 'GET', bearer(asGateway))).toMatchObject({
        status: 403,
        body: { message: 'api-gateway may not call GET /orders/versions on order-service' },
      });
      expect((await direct(versions, 'GET')).status).toBe(401);
    });

    it('answers inventory-service a placed order with its pet, status and version', async () => {
      const order = await orderPet((await signUpCustomer('order-versions')).token, (await addPet(await storeOwnerToken())).id);
      const page = await direct(`${versions}?afterId=${order.id - 1}&limit=1`, 'GET', bearer(serviceToken('inventory-service', 'order-service')));
      expect(page).toEqual({
        status: 200,
        body: [{ id: order.id, petId: order.petId, status: 'placed', version: expect.any(Number), cancelled: false }],
      });
    });
  });

  describe("order-service's order holds, which pet-service alone may read", () => {
    const holds = `${ORDER_SERVICE_URL}/orders/holds`;

    it('refuses the gateway signing for a store owner, inventory-service, and a call without a token', async () => {
      const asGateway = serviceToken('api-gateway', 'order-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      expect(await direct(holds, 'POST', bearer(asGateway), { orderIds: [1] })).toMatchObject({
        status: 403,
        body: { message: 'api-gateway may not call POST /orders/holds on order-service' },
      });
      expect((await direct(holds, 'POST', bearer(serviceToken('inventory-service', 'order-service')), { orderIds: [1] })).status).toBe(403);
      expect((await direct(holds, 'POST', {}, { orderIds: [1] })).status).toBe(401);
    });

    it('answers pet-service what each order means for its pet, leaves an unknown id out, and 400 naming a bad list', async () => {
      const customer = await signUpCustomer('order-holds');
      const owner = await storeOwnerToken();
      const [placed, cancelled, approved] = [
        await orderPet(customer.token, (await addPet(owner)).id),
        await orderPet(customer.token, (await addPet(owner)).id),
        await orderPet(customer.token, (await addPet(owner)).id),
      ];
      expect((await api('DELETE', `/api/v3/store/order/${cancelled.id}`, { token: customer.token })).status).toBe(200);
      expect((await api('POST', `/api/v3/store/order/${approved.id}/approve`, { token: owner })).status).toBe(200);
      const asPetService = bearer(serviceToken('pet-service', 'order-service'));

      const answer = await direct(holds, 'POST', asPetService, { orderIds: [placed.id, cancelled.id, approved.id, 8999999999999] });

      expect(answer.status).toBe(200);
      const outcomes = Object.fromEntries((answer.body as { orderId: number; outcome: string }[]).map((hold) => [hold.orderId, hold.outcome]));
      expect(outcomes).toEqual({ [placed.id]: 'held', [cancelled.id]: 'released', [approved.id]: 'sold' });
      expect(answer.body).toContainEqual({
        orderId: placed.id,
        outcome: 'held',
        reservation: { orderId: placed.id, petId: placed.petId, userId: expect.any(Number), quantity: 1 },
      });
      expect(await direct(holds, 'POST', asPetService, { orderIds: [] })).toMatchObject({
        status: 400,
        body: { message: ['orderIds must contain at least 1 elements'] },
      });
    });
  });

  describe("user-service's user lookup, which order-service alone may make", () => {
    const existing = `${USER_SERVICE_URL}/users/existing`;

    it('refuses the gateway signing for a store owner, pet-service, and a call without a token', async () => {
      const asGateway = serviceToken('api-gateway', 'user-service', { user: { id: 1, username: 'owner', roles: [Role.StoreOwner] } });
      expect(await direct(existing, 'POST', bearer(asGateway), { userIds: [1] })).toMatchObject({
        status: 403,
        body: { message: 'api-gateway may not call POST /users/existing on user-service' },
      });
      expect((await direct(existing, 'POST', bearer(serviceToken('pet-service', 'user-service')), { userIds: [1] })).status).toBe(403);
      expect((await direct(existing, 'POST', {}, { userIds: [1] })).status).toBe(401);
    });

    it('answers order-service which users still exist, leaving out a deleted one and an unknown id, and 400 naming a bad list', async () => {
      const owner = await storeOwnerToken();
      const [kept, deleted] = [await signUpCustomer('lookup-kept'), await signUpCustomer('lookup-deleted')];
      const idOf = async (user: TestUser) =>
        ((await api<{ id: number }>('GET', `/api/v3/user/${user.username}`, { token: owner })).body as { id: number }).id;
      const [keptId, deletedId] = [await idOf(kept), await idOf(deleted)];
      expect((await api('DELETE', `/api/v3/user/${deleted.username}`, { token: owner })).status).toBe(200);
      const asOrderService = bearer(serviceToken('order-service', 'user-service'));

      const answer = await direct(existing, 'POST', asOrderService, { userIds: [keptId, deletedId, 8999999999999] });

      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: [keptId] });
      expect(await direct(existing, 'POST', asOrderService, { userIds: [] })).toMatchObject({
        status: 400,
        body: { message: ['userIds should not be empty'] },
      });
    });
  });

  it('gives the test stack its signing keys under the variables the services read', () => {
    const expected = Object.keys(TEST_IDENTITY_KEYS).map((service) => identityKeyVariableOf(service as ServiceName));
    expect(Object.keys(TEST_IDENTITY_ENVIRONMENT)).toEqual(expect.arrayContaining(expected));
  });

  it.each(SERVICE_NAMES)('leaves /health of %s open', async (service) => {
    const response = await fetch(`${stack.urlOf(service)}/health`);
    expect(response.status).toBe(200);
  });
});
