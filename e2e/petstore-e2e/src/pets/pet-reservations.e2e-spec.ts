import { ErrorResponse } from '@petstore/dto';
import { api, eventually } from '../support/api';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { addPet, getPet, messageOf, PetBody, reserve, unallocatedOrderId, unique, unusedPetId } from './support/pets';
import { Envelope, TopicObserver } from '../support/kafka';

interface OrderBody {
  id: number;
  petId: number;
  status: string;
}

async function statusOf(petId: number): Promise<string> {
  return ((await getPet(petId)).body as PetBody).status;
}

async function until(petId: number, status: string): Promise<void> {
  await eventually(async () => ((await statusOf(petId)) === status ? true : undefined), 20000, `pet ${petId} ${status}`);
}

describe('pet reservations', () => {
  let owner: string;
  let customer: string;
  let observer: TopicObserver;

  beforeAll(async () => {
    owner = await storeOwnerToken();
    customer = (await signUpCustomer('reservations')).token;
    observer = await TopicObserver.start(['pet-events']);
  });

  afterAll(async () => {
    await observer.stop();
  });

  async function placeOrder(petId: number): Promise<OrderBody> {
    const response = await api<OrderBody>('POST', '/api/v3/store/order', { token: customer, json: { petId, quantity: 1 } });
    if (response.status !== 200) throw new Error(`placeOrder failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  function petEvents(petId: number, count: number): Promise<Envelope[]> {
    return observer
      .waitFor((message) => message.key === String(petId), count)
      .then((messages) => messages.map((message) => message.value as Envelope));
  }

  describe('the internal reservation API', () => {
    it('answers 404 for an unknown pet and 400 for an invalid body', async () => {
      const id = await unusedPetId(owner);
      const unknown = await reserve(id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 });
      expect(unknown.status).toBe(404);
      expect(messageOf(unknown.body)).toBe(`pet ${id} not found`);

      const pet = await addPet(owner);
      const invalid = await reserve(pet.id, { orderId: 0, userId: 'x', quantity: 0, shipDate: 'soon' });
      expect(invalid.status).toBe(400);
      for (const field of ['orderId', 'userId', 'quantity', 'shipDate']) expect(messageOf(invalid.body)).toContain(field);
      expect(await statusOf(pet.id)).toBe('available');
    });

    it('reserves with 201 and PET_RESERVED; a reservation order-service never asked for is rejected and released', async () => {
      const pet = await addPet(owner);
      const orderId = unallocatedOrderId();
      const shipDate = '2030-01-02T03:04:05.000Z';
      const reserved = await reserve(pet.id, { orderId, userId: 7, quantity: 2, shipDate });
      expect(reserved.status).toBe(201);
      expect(reserved.body).toEqual({ ...pet, status: 'pending' });

      await until(pet.id, 'available');
      const events = await petEvents(pet.id, 3);
      expect(events.map((event) => [event.type, event.aggregateVersion])).toEqual([
        ['PET_CREATED', 1],
        ['PET_RESERVED', 2],
        ['PET_RESERVATION_RELEASED', 3],
      ]);
      const reservation = { orderId, petId: pet.id, userId: 7, quantity: 2, shipDate };
      expect(events[1].payload).toEqual({ ...pet, status: 'pending', reservedByOrderId: orderId, reservation });
      expect(events[2].payload).toEqual({ ...pet, status: 'available', reservedByOrderId: null, reservation });
    });

    it('never lets two concurrent reservations hold the pet at once', async () => {
      const pet = await addPet(owner);
      const attempts = await Promise.all(
        Array.from({ length: 20 }, () => reserve(pet.id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 })),
      );
      const statuses = attempts.map((attempt) => attempt.status);
      const wins = statuses.filter((status) => status === 201).length;
      expect(wins).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(20 - wins);
      // order-service rejects these unknown orders, so a winner's hold is released and a request
      // still in flight on a slow machine may win after it: holds may follow, never overlap.
      const events = await petEvents(pet.id, 1 + 2 * wins);
      const holds = events.map((event) => event.type).filter((type) => type === 'PET_RESERVED' || type === 'PET_RESERVATION_RELEASED');
      expect(holds).toEqual(Array.from({ length: 2 * wins }, (_, i) => (i % 2 === 0 ? 'PET_RESERVED' : 'PET_RESERVATION_RELEASED')));
      expect(await statusOf(pet.id)).toBe('available');
    });
  });

  describe('a pet held by an order', () => {
    it('is pending; reserving it again for that order is 200 and writes nothing, for another order 409 naming the holder', async () => {
      const pet = await addPet(owner);
      const order = await placeOrder(pet.id);
      expect(await statusOf(pet.id)).toBe('pending');

      const retry = await reserve(pet.id, { orderId: order.id, userId: 1, quantity: 1 });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ ...pet, status: 'pending' });

      const other = await reserve(pet.id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 });
      expect(other.status).toBe(409);
      expect(messageOf(other.body)).toBe(`pet ${pet.id} is not available: it is pending (reserved by order ${order.id})`);

      const events = await petEvents(pet.id, 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(observer.messages.filter((message) => message.key === String(pet.id))).toHaveLength(events.length);
    });

    it('cannot be deleted (409 naming the order) nor have its status changed by a client, but can be renamed', async () => {
      const pet = await addPet(owner);
      const order = await placeOrder(pet.id);

      const deletion = await api<ErrorResponse>('DELETE', `/api/v3/pet/${pet.id}`, { token: owner });
      expect(deletion.status).toBe(409);
      expect(messageOf(deletion.body)).toBe(`pet ${pet.id} cannot be deleted: it is pending (reserved by order ${order.id})`);

      const put = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, status: 'available' } });
      expect(put.status).toBe(409);
      expect(messageOf(put.body)).toContain(`reserved by order ${order.id}`);
      expect((await api('POST', `/api/v3/pet/${pet.id}?status=available`, { token: owner })).status).toBe(409);
      expect((await api('POST', `/api/v3/pet/${pet.id}?status=sold`, { token: owner })).status).toBe(409);

      const name = unique('renamed');
      const renamed = await api<PetBody>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, name, status: 'pending' } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ ...pet, name, status: 'pending' });
    });

    it('is released when the order is cancelled (ORDER_CANCELLED → PET_RESERVATION_RELEASED)', async () => {
      const pet = await addPet(owner);
      const order = await placeOrder(pet.id);
      expect((await api('DELETE', `/api/v3/store/order/${order.id}`, { token: customer })).status).toBe(200);

      await until(pet.id, 'available');
      const events = await petEvents(pet.id, 3);
      expect(events.map((event) => event.type)).toEqual(['PET_CREATED', 'PET_RESERVED', 'PET_RESERVATION_RELEASED']);
      expect(events[2].payload).toEqual(
        expect.objectContaining({ status: 'available', reservation: expect.objectContaining({ orderId: order.id }) }),
      );
      expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(200);
    });

    it('is sold when the order is approved (ORDER_APPROVED → PET_SOLD), and a sold pet stays sold', async () => {
      const pet = await addPet(owner);
      const order = await placeOrder(pet.id);
      expect((await api('POST', `/api/v3/store/order/${order.id}/approve`, { token: owner })).status).toBe(200);

      await until(pet.id, 'sold');
      const events = await petEvents(pet.id, 3);
      expect(events.map((event) => [event.type, event.aggregateVersion])).toEqual([
        ['PET_CREATED', 1],
        ['PET_RESERVED', 2],
        ['PET_SOLD', 3],
      ]);
      expect(events[2].payload).toEqual({ ...pet, status: 'sold', reservedByOrderId: order.id });

      const deletion = await api<ErrorResponse>('DELETE', `/api/v3/pet/${pet.id}`, { token: owner });
      expect(deletion.status).toBe(409);
      expect(messageOf(deletion.body)).toBe(`pet ${pet.id} cannot be deleted: it is sold (to order ${order.id})`);
      expect((await api('POST', `/api/v3/pet/${pet.id}?status=available`, { token: owner })).status).toBe(409);
      expect((await reserve(pet.id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 })).status).toBe(409);
    });
  });
});
