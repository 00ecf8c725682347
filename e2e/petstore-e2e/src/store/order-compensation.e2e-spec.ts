import { OrderEventType, PetEventType, Topics } from '@petstore/contracts';
import { reserve, unallocatedOrderId } from '../pets/support/pets';
import { eventually } from '../support/api';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import { createPet, getOrder, inventoryStatusOf, listOrders, orderPet, petBecomes, petStatus } from './store-fixtures';
import { Envelope, ObservedMessage, TopicObserver } from '../support/kafka';

const about = (petId: number) => (message: ObservedMessage) => message.key === String(petId);
const typeOf = (message: ObservedMessage) => (message.value as Envelope).type;

/**
 * The saga's compensation: pet-service really reserves a pet (PET_RESERVED through its outbox)
 * for an order order-service cannot create, so order-service answers ORDER_REJECTED and
 * pet-service releases the pet. The reservations are made on pet-service's internal API with
 * order ids order-service never handed out for that pet: the one thing that makes a consumed
 * PET_RESERVED impossible to turn into an order.
 */
describe('a PET_RESERVED that cannot become an order', () => {
  let alice: TestUser;
  let observer: TopicObserver;

  beforeAll(async () => {
    alice = await signUpCustomer('compensation');
    observer = await TopicObserver.start([Topics.PetEvents, Topics.OrderEvents]);
  });

  afterAll(async () => {
    await observer?.stop();
  });

  it('is rejected for an order id order-service never allocated, and the pet is available again with no order', async () => {
    const pet = await createPet('compensated');
    const orderId = unallocatedOrderId();

    const reserved = await reserve(pet.id, { orderId, userId: 1, quantity: 1 });
    expect(reserved.status).toBe(201);

    await observer.waitFor((message) => about(pet.id)(message) && typeOf(message) === PetEventType.PetReserved);
    const [rejected] = await observer.waitFor((message) => about(pet.id)(message) && typeOf(message) === OrderEventType.OrderRejected);
    expect(rejected.topic).toBe(Topics.OrderEvents);
    expect(rejected.value).toMatchObject({
      type: OrderEventType.OrderRejected,
      aggregateId: String(orderId),
      payload: { reservation: { orderId, petId: pet.id }, reason: `order ${orderId} was never requested from order-service` },
    });
    await observer.waitFor((message) => about(pet.id)(message) && typeOf(message) === PetEventType.PetReservationReleased);
    await petBecomes(pet.id, 'available');
    expect((await getOrder(await storeOwnerToken(), orderId)).status).toBe(404);
    expect(await listOrders({ petId: String(pet.id) })).toEqual([]);
    await eventually(async () => ((await inventoryStatusOf(pet.id)) === 'available' ? true : undefined), 20000, 'inventory back to available');
  });

  it('leaves the pet orderable afterwards', async () => {
    const pet = await createPet('compensated');
    await reserve(pet.id, { orderId: unallocatedOrderId(), userId: 1, quantity: 1 });
    await observer.waitFor((message) => about(pet.id)(message) && typeOf(message) === PetEventType.PetReservationReleased);
    await petBecomes(pet.id, 'available');

    const order = await orderPet(alice.token, pet.id);

    expect(order).toMatchObject({ petId: pet.id, status: 'placed' });
  });

  it("is rejected when it claims a live order's id for another pet, and that order stays as it was", async () => {
    const [ordered, other] = await Promise.all([createPet('held'), createPet('claimed')]);
    const order = await orderPet(alice.token, ordered.id);

    const reserved = await reserve(other.id, { orderId: order.id, userId: 1, quantity: 1 });
    expect(reserved.status).toBe(201);

    const [rejected] = await observer.waitFor((message) => about(other.id)(message) && typeOf(message) === OrderEventType.OrderRejected);
    expect(rejected.value).toMatchObject({
      aggregateId: String(order.id),
      payload: { reservation: { orderId: order.id, petId: other.id }, reason: `order ${order.id} is for pet ${ordered.id}, not pet ${other.id}` },
    });
    await petBecomes(other.id, 'available');
    expect((await getOrder(alice.token, order.id)).body).toEqual(order);
    expect(await petStatus(ordered.id)).toBe('pending');
  });
});
