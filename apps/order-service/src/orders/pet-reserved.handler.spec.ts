import { buildEnvelope, PetEventType, PetStatus } from '@petstore/contracts';
import { Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OrderEventsOutbox } from './order-events.outbox';
import { OrderRecord } from './order-record';
import { orderRecord } from './order-record.fixture';
import { OrderState } from './order-state';
import { OrdersRepository } from './orders.repository';
import { PetReservedHandler, rejectionReason } from './pet-reserved.handler';

function order(overrides: Partial<OrderRecord> = {}): OrderRecord {
  return orderRecord({ quantity: 2, ...overrides });
}

function petReserved(petId: number, reservation: { orderId: number; userId: number; quantity: number }) {
  return buildEnvelope({
    type: PetEventType.PetReserved,
    aggregateId: petId,
    aggregateVersion: 4,
    correlationId: 'corr-1',
    payload: {
      id: petId,
      name: 'Rex',
      status: PetStatus.Pending,
      tags: [],
      photoUrls: [],
      reservedByOrderId: reservation.orderId,
      reservation: { ...reservation, petId, shipDate: null },
    },
  });
}

/** Orders by id, plus what the handler wrote and recorded. */
function fakeStore(rows: OrderRecord[]) {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const manager = { query: jest.fn() } as unknown as EntityManager;
  const live = [OrderState.Placed, OrderState.Approved];
  const orders = {
    lockWithPetHolder: jest.fn(async (_manager: EntityManager, id: number) => {
      const order = byId.get(id);
      if (!order) return null;
      const holder = [...byId.values()].find((row) => row.petId === order.petId && live.includes(row.state));
      return { order, petHolderId: holder?.id ?? null };
    }),
    allocate: jest.fn(),
    update: jest.fn(),
    recordRefusal: jest.fn(async () => 1),
  };
  const events = { recordChange: jest.fn(), recordRejection: jest.fn() };
  const handler = new PetReservedHandler(events as unknown as OrderEventsOutbox, orders as unknown as OrdersRepository);
  return { manager, events, orders, handler };
}

describe('PetReservedHandler', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));

  it('turns the reservation of a requested order into the placed order and ORDER_PLACED, version 1', async () => {
    const requested = order();
    const { manager, events, orders, handler } = fakeStore([requested]);

    await expect(handler.handle(petReserved(7, { orderId: 10, userId: 3, quantity: 2 }), manager)).resolves.toBe(requested);

    expect(requested.state).toBe(OrderState.Placed);
    expect(requested.version).toBe(1);
    expect(orders.update).toHaveBeenCalledWith(manager, requested);
    expect(events.recordChange).toHaveBeenCalledWith(manager, requested, 'ORDER_PLACED');
    expect(events.recordRejection).not.toHaveBeenCalled();
  });

  it('changes nothing when the order is already placed (a redelivered reservation)', async () => {
    const placed = order({ state: OrderState.Placed, version: 1 });
    const { manager, events, handler } = fakeStore([placed]);

    await handler.handle(petReserved(7, { orderId: 10, userId: 3, quantity: 2 }), manager);

    expect(placed).toMatchObject({ state: OrderState.Placed, version: 1 });
    expect(events.recordChange).not.toHaveBeenCalled();
    expect(events.recordRejection).not.toHaveBeenCalled();
  });

  it('rejects a reservation for an order id it never allocated, recording the refusal outside the orders so its version can grow', async () => {
    const { manager, events, orders, handler } = fakeStore([]);
    const reason = 'order 99 was never requested from order-service';

    await handler.handle(petReserved(7, { orderId: 99, userId: 3, quantity: 500 }), manager);

    expect(orders.allocate).not.toHaveBeenCalled();
    expect(orders.update).not.toHaveBeenCalled();
    const reservation = expect.objectContaining({ orderId: 99, petId: 7, userId: 3, quantity: 500 });
    expect(orders.recordRefusal).toHaveBeenCalledWith(manager, reservation, reason);
    expect(events.recordRejection).toHaveBeenCalledWith(manager, reservation, 1, reason);
  });

  it('rejects a second reservation of another pet under a live order id without touching that order', async () => {
    const placed = order({ state: OrderState.Placed, version: 1 });
    const { manager, events, handler } = fakeStore([placed]);

    await handler.handle(petReserved(8, { orderId: 10, userId: 3, quantity: 2 }), manager);

    expect(placed).toMatchObject({ state: OrderState.Placed, petId: 7, version: 2 });
    expect(events.recordRejection).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ orderId: 10, petId: 8 }),
      2,
      'order 10 is for pet 7, not pet 8',
    );
  });

  it('rejects the reservation of an order whose placement was abandoned, so the pet is released', async () => {
    const abandoned = order({ state: OrderState.Rejected, rejectionReason: 'pet-service did not answer' });
    const { manager, events, handler } = fakeStore([abandoned]);

    await handler.handle(petReserved(7, { orderId: 10, userId: 3, quantity: 2 }), manager);

    expect(abandoned).toMatchObject({ state: OrderState.Rejected, version: 1 });
    expect(events.recordRejection).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ orderId: 10, petId: 7 }),
      1,
      'order 10 was rejected: pet-service did not answer',
    );
  });

  it('rejects a requested order when another live order already holds the pet', async () => {
    const holder = order({ id: 5, state: OrderState.Approved, version: 2 });
    const requested = order();
    const { manager, events, handler } = fakeStore([holder, requested]);

    await handler.handle(petReserved(7, { orderId: 10, userId: 3, quantity: 2 }), manager);

    expect(requested).toMatchObject({ state: OrderState.Rejected, version: 1, rejectionReason: 'pet 7 is already held by order 5' });
    expect(events.recordChange).not.toHaveBeenCalled();
    expect(events.recordRejection).toHaveBeenCalledTimes(1);
  });
});

describe('rejectionReason', () => {
  const reservation = { orderId: 10, petId: 7, userId: 3, quantity: 2, shipDate: null };

  it('accepts the reservation the order asked for', () => {
    expect(rejectionReason(order(), reservation)).toBeUndefined();
    expect(rejectionReason(order({ state: OrderState.Placed }), reservation)).toBeUndefined();
  });

  it('names each mismatch', () => {
    expect(rejectionReason(order({ userId: 4 }), reservation)).toBe('order 10 was requested by another user');
    expect(rejectionReason(order({ quantity: 1 }), reservation)).toBe('order 10 is for quantity 1, not 2');
    expect(rejectionReason(order({ state: OrderState.Cancelled }), reservation)).toBe('order 10 is cancelled');
  });
});
