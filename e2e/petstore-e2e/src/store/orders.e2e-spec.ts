import { OrderEventType, Topics } from '@petstore/contracts';
import { randomUUID } from 'node:crypto';
import { api } from '../support/api';
import { unallocatedOrderId } from '../pets/support/pets';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import {
  approveOrder,
  cancelOrder,
  createPet,
  deliverOrder,
  getOrder,
  listOrders,
  orderPet,
  petBecomes,
  petStatus,
  placeOrder,
} from './store-fixtures';
import { Envelope, ObservedMessage, TopicObserver } from '../support/kafka';

type OrderEvent = Envelope<{ id: number; petId: number; status: string; complete: boolean }>;

function orderEventsOf(orderId: number) {
  return (message: ObservedMessage) => message.topic === Topics.OrderEvents && (message.value as OrderEvent).aggregateId === String(orderId);
}

describe('orders through the gateway', () => {
  let alice: TestUser;
  let bob: TestUser;
  let owner: string;
  let observer: TopicObserver;

  beforeAll(async () => {
    [alice, bob, owner] = await Promise.all([signUpCustomer('alice'), signUpCustomer('bob'), storeOwnerToken()]);
    observer = await TopicObserver.start([Topics.OrderEvents]);
  });

  afterAll(async () => {
    await observer?.stop();
  });

  describe('placeOrder', () => {
    it('places an order for an available pet, answers the Petstore Order and leaves the pet pending', async () => {
      const pet = await createPet();
      const shipDate = '2030-05-01T12:00:00.000Z';

      const response = await placeOrder(alice.token, { petId: pet.id, quantity: 2, shipDate });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: expect.any(Number), petId: pet.id, quantity: 2, shipDate, status: 'placed', complete: false });
      expect(await petStatus(pet.id)).toBe('pending');
      const [placed] = await observer.waitFor(orderEventsOf(response.body.id));
      expect(placed.key).toBe(String(pet.id));
      expect(placed.value).toMatchObject({ type: OrderEventType.OrderPlaced, aggregateVersion: 1, payload: { petId: pet.id, status: 'placed' } });
    });

    it('ignores the id, status and complete a client sends: the store sets them', async () => {
      const pet = await createPet();

      // An id the store's sequence does not reach in a test run, so the store's own cannot equal it by chance.
      const clientsId = unallocatedOrderId();
      const response = await placeOrder(alice.token, { id: clientsId, petId: pet.id, quantity: 1, status: 'delivered', complete: true });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ petId: pet.id, status: 'placed', complete: false });
      expect(response.body.id).not.toBe(clientsId);
      expect(response.body.shipDate).toBeUndefined();
    });

    it('accepts the form-encoded body the contract also allows', async () => {
      const pet = await createPet();

      const response = await api<{ petId: number; quantity: number }>('POST', '/api/v3/store/order', {
        token: alice.token,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ petId: String(pet.id), quantity: '3' }).toString(),
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ petId: pet.id, quantity: 3 });
    });

    it('refuses a pet that is already pending with 409 and creates no order', async () => {
      const pet = await createPet();
      const first = await orderPet(alice.token, pet.id);

      const response = await placeOrder(bob.token, { petId: pet.id, quantity: 1 });

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ statusCode: 409, message: expect.stringContaining(`pet ${pet.id} is not available`) });
      expect((await listOrders({ petId: String(pet.id) })).map((order) => order.id)).toEqual([first.id]);
    });

    it('answers 404 for a pet that does not exist', async () => {
      const response = await placeOrder(alice.token, { petId: 8_999_999_999_999_999, quantity: 1 });

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ message: expect.stringContaining('not found') });
    });

    it.each([
      ['no petId', { quantity: 1 }, 'petId'],
      ['a petId that is not a number', { petId: 'abc', quantity: 1 }, 'petId'],
      ['a quantity of 0', { petId: 1, quantity: 0 }, 'quantity'],
      ['a quantity above 100', { petId: 1, quantity: 101 }, 'quantity'],
      ['a fractional quantity', { petId: 1, quantity: 1.5 }, 'quantity'],
      ['a shipDate that is not a date-time', { petId: 1, quantity: 1, shipDate: 'tomorrow' }, 'shipDate'],
    ])('refuses %s with 400 naming the field', async (_case, order, field) => {
      const response = await placeOrder(alice.token, order);

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain(field);
    });

    it('needs a login', async () => {
      const response = await api('POST', '/api/v3/store/order', { json: { petId: 1, quantity: 1 } });

      expect(response.status).toBe(401);
    });

    describe('sent again under the same Idempotency-Key', () => {
      it('answers every send, concurrent or later, with the one order the first placed', async () => {
        const pet = await createPet();
        const key = randomUUID();

        const concurrent = await Promise.all([1, 2, 3].map(() => placeOrder(alice.token, { petId: pet.id, quantity: 1 }, key)));
        const later = await placeOrder(alice.token, { petId: pet.id, quantity: 1 }, key);

        const [order] = await listOrders({ petId: String(pet.id) });
        expect([...concurrent, later].map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
        expect([...concurrent, later].map((answer) => answer.body)).toEqual(Array(4).fill(order));
        expect((await listOrders({ petId: String(pet.id) })).map((listed) => listed.id)).toEqual([order.id]);
      });

      it("keeps each user's keys apart: another customer's send under the same key orders for them (and finds the pet taken)", async () => {
        const pet = await createPet();
        const key = randomUUID();
        const alices = await placeOrder(alice.token, { petId: pet.id, quantity: 1 }, key);

        const bobs = await placeOrder(bob.token, { petId: pet.id, quantity: 1 }, key);

        expect(alices.status).toBe(200);
        expect(bobs.status).toBe(409);
        expect(bobs.body).toMatchObject({ message: expect.stringContaining(`pet ${pet.id} is not available`) });
      });

      it('refuses the key with another order (422) and answers 409 once its order was cancelled, placing nothing more', async () => {
        const [pet, other] = await Promise.all([createPet(), createPet()]);
        const key = randomUUID();
        const order = (await placeOrder(alice.token, { petId: pet.id, quantity: 1 }, key)).body;

        const reused = await placeOrder(alice.token, { petId: other.id, quantity: 1 }, key);
        expect(reused.status).toBe(422);
        expect(reused.body).toMatchObject({
          message: `Idempotency-Key '${key}' was sent before with a different request; send a new key for a new request`,
        });

        expect((await cancelOrder(alice.token, order.id)).status).toBe(200);
        const afterCancel = await placeOrder(alice.token, { petId: pet.id, quantity: 1 }, key);
        expect(afterCancel.status).toBe(409);
        expect(afterCancel.body).toMatchObject({
          message: expect.stringContaining(`order ${order.id}, placed under this Idempotency-Key, has since been cancelled`),
        });
        expect(await petBecomes(pet.id, 'available')).toBe('available');
        expect(await listOrders({ petId: String(pet.id) })).toEqual([]);
        expect(await listOrders({ petId: String(other.id) })).toEqual([]);
      });
    });
  });

  describe('getOrderById', () => {
    it('shows the order to its owner and to the store owner, and 404 to another customer', async () => {
      const order = await orderPet(alice.token, (await createPet()).id);

      expect(await getOrder(alice.token, order.id)).toMatchObject({ status: 200, body: order });
      expect(await getOrder(owner, order.id)).toMatchObject({ status: 200, body: order });
      const stranger = await getOrder(bob.token, order.id);
      expect(stranger.status).toBe(404);
      expect(stranger.body).toMatchObject({ message: `order ${order.id} not found` });
    });

    it('answers 404 for an unknown order and 400 for an id that is not one', async () => {
      expect((await getOrder(alice.token, 8_999_999_999_999_998)).status).toBe(404);
      expect((await api('GET', '/api/v3/store/order/abc', { token: alice.token })).status).toBe(400);
      expect((await api('GET', '/api/v3/store/order/0', { token: alice.token })).status).toBe(400);
    });

    it('needs a login', async () => {
      expect((await api('GET', '/api/v3/store/order/1')).status).toBe(401);
    });
  });

  describe('deleteOrder', () => {
    it('cancels a placed order: ORDER_CANCELLED, the order is gone and the pet is available again', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);

      const response = await cancelOrder(alice.token, order.id);

      expect(response.status).toBe(200);
      expect((await getOrder(alice.token, order.id)).status).toBe(404);
      await petBecomes(pet.id, 'available');
      const events = await observer.waitFor(orderEventsOf(order.id), 2);
      expect(events.map((event) => [(event.value as OrderEvent).type, (event.value as OrderEvent).aggregateVersion])).toEqual([
        [OrderEventType.OrderPlaced, 1],
        [OrderEventType.OrderCancelled, 2],
      ]);
      expect((await cancelOrder(alice.token, order.id)).status).toBe(404);
    });

    it("lets the store owner cancel anybody's order, and answers 404 to another customer", async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);

      expect((await cancelOrder(bob.token, order.id)).status).toBe(404);
      expect((await cancelOrder(owner, order.id)).status).toBe(200);
      await petBecomes(pet.id, 'available');
    });

    it('lets the pet be ordered again once its order is cancelled', async () => {
      const pet = await createPet();
      const first = await orderPet(alice.token, pet.id);
      await cancelOrder(alice.token, first.id);
      await petBecomes(pet.id, 'available');

      const second = await placeOrder(bob.token, { petId: pet.id, quantity: 1 });

      expect(second.status).toBe(200);
      expect(second.body.id).not.toBe(first.id);
      expect((await listOrders({ petId: String(pet.id) })).map((order) => order.id)).toEqual([second.body.id]);
    });

    it('answers 404 for an unknown order', async () => {
      expect((await cancelOrder(alice.token, 8_999_999_999_999_997)).status).toBe(404);
    });

    it('sent again under the same Idempotency-Key, answers 200 as the first did (404 without it), and refuses the key for another order (422)', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);
      const other = await orderPet(alice.token, (await createPet()).id);
      const key = randomUUID();

      expect((await cancelOrder(alice.token, order.id, key)).status).toBe(200);
      expect((await cancelOrder(alice.token, order.id, key)).status).toBe(200);
      expect((await cancelOrder(alice.token, order.id)).status).toBe(404);
      expect((await cancelOrder(alice.token, other.id, key)).status).toBe(422);
      expect((await getOrder(alice.token, other.id)).body).toMatchObject({ status: 'placed' });
      await petBecomes(pet.id, 'available');
      const events = await observer.waitFor(orderEventsOf(order.id), 2);
      expect(events.map((event) => (event.value as OrderEvent).type)).toEqual([OrderEventType.OrderPlaced, OrderEventType.OrderCancelled]);
    });

    it('keeps no key for a refused cancel: the key names the next request', async () => {
      const order = await orderPet(alice.token, (await createPet()).id);
      const key = randomUUID();

      expect((await cancelOrder(bob.token, order.id, key)).status).toBe(404);
      expect((await cancelOrder(alice.token, order.id, key)).status).toBe(200);
    });
  });

  describe('approve and deliver (store owner extensions)', () => {
    it('approves a placed order (the pet becomes sold), then delivers it (complete)', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);

      const approved = await approveOrder(owner, order.id);
      expect(approved).toMatchObject({ status: 200, body: { ...order, status: 'approved', complete: false } });
      await petBecomes(pet.id, 'sold');

      const delivered = await deliverOrder(owner, order.id);
      expect(delivered).toMatchObject({ status: 200, body: { ...order, status: 'delivered', complete: true } });
      expect((await getOrder(alice.token, order.id)).body).toMatchObject({ status: 'delivered', complete: true });

      const events = await observer.waitFor(orderEventsOf(order.id), 3);
      expect(events.map((event) => (event.value as OrderEvent).type)).toEqual([
        OrderEventType.OrderPlaced,
        OrderEventType.OrderApproved,
        OrderEventType.OrderDelivered,
      ]);
      expect(events.map((event) => (event.value as OrderEvent).aggregateVersion)).toEqual([1, 2, 3]);
      expect(events.every((event) => event.key === String(pet.id))).toBe(true);
    });

    it('refuses every illegal transition with 409', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);

      expect(await deliverOrder(owner, order.id)).toMatchObject({
        status: 409,
        body: { message: `order ${order.id} is placed; only approved orders can be delivered` },
      });
      await approveOrder(owner, order.id);
      expect(await approveOrder(owner, order.id)).toMatchObject({
        status: 409,
        body: { message: `order ${order.id} is approved; only placed orders can be approved` },
      });
      expect(await cancelOrder(alice.token, order.id)).toMatchObject({
        status: 409,
        body: { message: `order ${order.id} is approved; only placed orders can be cancelled` },
      });
      await deliverOrder(owner, order.id);
      expect((await deliverOrder(owner, order.id)).status).toBe(409);
      expect((await approveOrder(owner, order.id)).status).toBe(409);
      expect(await cancelOrder(owner, order.id)).toMatchObject({
        status: 409,
        body: { message: `order ${order.id} is delivered; only placed orders can be cancelled` },
      });
    });

    it('refuses to order a sold pet with 409', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);
      await approveOrder(owner, order.id);
      await petBecomes(pet.id, 'sold');

      const response = await placeOrder(bob.token, { petId: pet.id, quantity: 1 });

      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ message: expect.stringContaining('is not available') });
    });

    it('is for store owners only: a customer gets 403, nobody gets in without a login', async () => {
      const order = await orderPet(alice.token, (await createPet()).id);

      expect((await approveOrder(alice.token, order.id)).status).toBe(403);
      expect((await deliverOrder(alice.token, order.id)).status).toBe(403);
      expect((await api('POST', `/api/v3/store/order/${order.id}/approve`)).status).toBe(401);
      expect((await getOrder(alice.token, order.id)).body).toMatchObject({ status: 'placed' });
    });

    it('answers 404 for an unknown order', async () => {
      expect((await approveOrder(owner, 8_999_999_999_999_996)).status).toBe(404);
      expect((await deliverOrder(owner, 8_999_999_999_999_996)).status).toBe(404);
    });

    it('sent again under the same Idempotency-Key, answer the order as the first send left it (409 without the key), changing nothing more', async () => {
      const pet = await createPet();
      const order = await orderPet(alice.token, pet.id);
      const approveKey = randomUUID();
      const deliverKey = randomUUID();

      const approved = await approveOrder(owner, order.id, approveKey);
      expect(approved).toMatchObject({ status: 200, body: { status: 'approved' } });
      expect(await approveOrder(owner, order.id, approveKey)).toMatchObject({ status: 200, body: approved.body });
      expect((await approveOrder(owner, order.id)).status).toBe(409);

      const delivered = await deliverOrder(owner, order.id, deliverKey);
      expect(delivered).toMatchObject({ status: 200, body: { status: 'delivered', complete: true } });
      expect(await deliverOrder(owner, order.id, deliverKey)).toMatchObject({ status: 200, body: delivered.body });
      expect(await approveOrder(owner, order.id, approveKey)).toMatchObject({ status: 200, body: approved.body });
      expect((await deliverOrder(owner, order.id)).status).toBe(409);
      expect((await approveOrder(owner, order.id, deliverKey)).status).toBe(422);

      await observer.waitFor(orderEventsOf(order.id), 3);
      await observer.catchUp();
      expect(observer.messages.filter(orderEventsOf(order.id)).map((event) => (event.value as OrderEvent).type)).toEqual([
        OrderEventType.OrderPlaced,
        OrderEventType.OrderApproved,
        OrderEventType.OrderDelivered,
      ]);
    });
  });

  describe('listing orders (store owner extension)', () => {
    it('filters by status (comma list or repeated) and by pet', async () => {
      const [placedPet, approvedPet] = await Promise.all([createPet(), createPet()]);
      const placed = await orderPet(alice.token, placedPet.id);
      const approved = (await approveOrder(owner, (await orderPet(bob.token, approvedPet.id)).id)).body;

      expect(await listOrders({ petId: String(placedPet.id), status: 'placed' })).toEqual([placed]);
      expect(await listOrders({ petId: String(placedPet.id), status: 'approved' })).toEqual([]);
      expect(await listOrders({ petId: String(approvedPet.id), status: 'placed,approved' })).toEqual([approved]);
      const repeated = await api('GET', `/api/v3/store/orders?status=delivered&status=approved&petId=${approvedPet.id}`, { token: owner });
      expect(repeated.body).toEqual([approved]);
    });

    it('names a bad status with 400', async () => {
      const response = await api('GET', '/api/v3/store/orders?status=placed,shipped', { token: owner });

      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('status must be one of placed, approved, delivered');
    });

    it('is for store owners only', async () => {
      expect((await api('GET', '/api/v3/store/orders', { token: alice.token })).status).toBe(403);
      expect((await api('GET', '/api/v3/store/orders')).status).toBe(401);
    });
  });
});

describe('the store in the Swagger document', () => {
  it('lists the Petstore store operations and the extensions, each needing the bearer token', async () => {
    const response = await api<{ paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>> }>('GET', '/docs-json');
    const { paths } = response.body;

    expect(
      Object.fromEntries(
        Object.entries(paths)
          .filter(([path]) => path.startsWith('/store'))
          .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [operation.operationId, `${method} ${path}`])),
      ),
    ).toEqual({
      placeOrder: 'post /store/order',
      getOrderById: 'get /store/order/{orderId}',
      deleteOrder: 'delete /store/order/{orderId}',
      approveOrder: 'post /store/order/{orderId}/approve',
      deliverOrder: 'post /store/order/{orderId}/deliver',
      listOrders: 'get /store/orders',
      getInventory: 'get /store/inventory',
      getOrderInventory: 'get /store/inventory/orders',
    });
    expect(paths['/store/order'].post.security).toEqual([{ bearer: [] }]);
    expect(paths['/store/inventory'].get.security).toEqual([{ bearer: [] }]);
  });
});
