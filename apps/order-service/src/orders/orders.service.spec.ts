import { OrderStatus } from '@petstore/contracts';
import { AuthenticatedUser, HoldOutcome, Role } from '@petstore/dto';
import { OutboxService } from '@petstore/messaging';
import type { IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { EntityManager } from 'typeorm';
import { OrderEventsOutbox } from './order-events.outbox';
import { orderRecord } from './order-record.fixture';
import { OrderState } from './order-state';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { UserDirectory } from './user-directory';

const owner: AuthenticatedUser = { id: 3, username: 'ann', roles: [Role.Customer] };
const stranger: AuthenticatedUser = { id: 4, username: 'bob', roles: [Role.Customer] };
const storeOwner: AuthenticatedUser = { id: 1, username: 'boss', roles: [Role.StoreOwner] };

function setUp(state: OrderState) {
  const row = orderRecord({ state, version: 1 });
  const manager = {} as EntityManager;
  const orders = {
    findById: async () => row,
    lockById: async () => row,
    update: jest.fn(),
  };
  const events = { recordChange: jest.fn() };
  const outbox = { transaction: jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(manager)) };
  const idempotentRequests = {
    once: jest.fn((_m: EntityManager, _request: IdempotentRequest | undefined, write: () => Promise<unknown>) => write()),
  };
  const users = { existing: jest.fn(async (ids: number[]) => ids) };
  const service = new OrdersService(
    orders as unknown as OrdersRepository,
    events as unknown as OrderEventsOutbox,
    outbox as unknown as OutboxService,
    idempotentRequests as unknown as IdempotentRequests,
    users as unknown as UserDirectory,
  );
  return { service, row, orders, events, outbox, idempotentRequests, manager, users };
}

describe('OrdersService', () => {
  describe('holds, for pet-service to check its pending pets against', () => {
    function withOrders(...rows: ReturnType<typeof orderRecord>[]) {
      const { service, orders } = setUp(OrderState.Placed);
      const refusal = { orderId: 40, petId: 8, userId: 3, quantity: 1 };
      Object.assign(orders, {
        findByIds: jest.fn(async (ids: number[]) => rows.filter((row) => ids.includes(row.id))),
        refusalsOf: jest.fn(async (ids: number[]) => [refusal, { ...refusal, orderId: 30 }].filter((refused) => ids.includes(refused.orderId))),
        changedWithin: jest.fn(async (ids: number[], seconds: number) => (seconds > 0 ? ids.filter((id) => id === 30 || id === 40) : [])),
      });
      return service;
    }

    it("answers each order's hold on its pet: held while being placed or placed, sold once approved or delivered, released once cancelled or rejected", async () => {
      const states = [OrderState.Requested, OrderState.Placed, OrderState.Approved, OrderState.Delivered, OrderState.Cancelled, OrderState.Rejected];
      const service = withOrders(...states.map((state, index) => orderRecord({ id: 20 + index, state })));

      const holds = await service.holds([20, 21, 22, 23, 24, 25]);

      expect(holds.map((hold) => hold.outcome)).toEqual([
        HoldOutcome.Held,
        HoldOutcome.Held,
        HoldOutcome.Sold,
        HoldOutcome.Sold,
        HoldOutcome.Released,
        HoldOutcome.Released,
      ]);
      expect(holds[0]).toMatchObject({ orderId: 20, reservation: { orderId: 20, petId: 7, userId: 3, quantity: 1 } });
    });

    it('answers a refused id it never allocated as released with the refused reservation, an allocated id by its order, and leaves unknown ids out', async () => {
      const service = withOrders(orderRecord({ id: 30, state: OrderState.Placed }));

      expect(await service.holds([30, 40, 50])).toEqual([
        expect.objectContaining({ orderId: 30, outcome: HoldOutcome.Held }),
        { orderId: 40, outcome: HoldOutcome.Released, reservation: { orderId: 40, petId: 8, userId: 3, quantity: 1 } },
      ]);
    });

    it('leaves out an order or a refusal changed within the seconds asked for, whose event may be on its way', async () => {
      const service = withOrders(orderRecord({ id: 30, state: OrderState.Cancelled }), orderRecord({ id: 31, state: OrderState.Cancelled }));

      expect(await service.holds([30, 31, 40], 60)).toEqual([expect.objectContaining({ orderId: 31, outcome: HoldOutcome.Released })]);
    });
  });

  it('shows an order to its owner and to a store owner, and answers 404 to anybody else', async () => {
    const { service } = setUp(OrderState.Placed);

    await expect(service.get(10, owner)).resolves.toMatchObject({ id: 10 });
    await expect(service.get(10, storeOwner)).resolves.toMatchObject({ id: 10 });
    await expect(service.get(10, stranger)).rejects.toMatchObject({ status: 404, message: 'order 10 not found' });
  });

  it('answers 404 for an order still being confirmed, saying so to its owner', async () => {
    const { service } = setUp(OrderState.Requested);

    await expect(service.get(10, owner)).rejects.toMatchObject({ status: 404, message: expect.stringContaining('not placed yet') });
    await expect(service.get(10, stranger)).rejects.toMatchObject({ message: 'order 10 not found' });
  });

  it.each([OrderState.Cancelled, OrderState.Rejected])('answers 404 for a %s order', async (state) => {
    const { service } = setUp(state);

    await expect(service.get(10, owner)).rejects.toMatchObject({ status: 404 });
    await expect(service.cancel(10, owner)).rejects.toMatchObject({ status: 404 });
  });

  it('cancels a placed order with ORDER_CANCELLED at the next version, then publishes at once', async () => {
    const { service, row, orders, events, outbox } = setUp(OrderState.Placed);

    await service.cancel(10, owner);

    expect(row).toMatchObject({ state: OrderState.Cancelled, version: 2 });
    expect(orders.update).toHaveBeenCalledWith(expect.anything(), row);
    expect(events.recordChange).toHaveBeenCalledWith(expect.anything(), row, 'ORDER_CANCELLED', OrderStatus.Placed);
    expect(outbox.transaction).toHaveBeenCalledTimes(1);
  });

  it("cancels every placed order of the given users in one transaction, each with ORDER_CANCELLED at its next version, as the user's own cancel would", async () => {
    const { service, orders, events, outbox } = setUp(OrderState.Placed);
    const placed = [
      orderRecord({ id: 11, userId: 5, state: OrderState.Placed, version: 1 }),
      orderRecord({ id: 12, userId: 6, state: OrderState.Placed, version: 3 }),
    ];
    const lockPlacedOfUsers = jest.fn(async () => placed);
    Object.assign(orders, { lockPlacedOfUsers });

    await expect(service.cancelPlacedOrdersOf([5, 6])).resolves.toBe(2);

    expect(lockPlacedOfUsers).toHaveBeenCalledWith(expect.anything(), [5, 6]);
    expect(placed).toMatchObject([
      { state: OrderState.Cancelled, version: 2 },
      { state: OrderState.Cancelled, version: 4 },
    ]);
    expect(orders.update).toHaveBeenCalledTimes(2);
    expect(events.recordChange.mock.calls).toEqual([
      [expect.anything(), placed[0], 'ORDER_CANCELLED', OrderStatus.Placed],
      [expect.anything(), placed[1], 'ORDER_CANCELLED', OrderStatus.Placed],
    ]);
    expect(outbox.transaction).toHaveBeenCalledTimes(1);
  });

  it.each([OrderState.Approved, OrderState.Delivered])('refuses to cancel an order that is %s, with 409', async (state) => {
    const { service, row, events } = setUp(state);

    await expect(service.cancel(10, owner)).rejects.toMatchObject({
      status: 409,
      message: `order 10 is ${state}; only placed orders can be cancelled`,
    });
    expect(row).toMatchObject({ state, version: 1 });
    expect(events.recordChange).not.toHaveBeenCalled();
  });

  it('lets only a store owner approve and deliver', async () => {
    const { service, row, events } = setUp(OrderState.Placed);

    await expect(service.approve(10, owner)).rejects.toMatchObject({ status: 403 });
    await service.approve(10, storeOwner);
    expect(row).toMatchObject({ state: OrderState.Approved, version: 2 });
    await expect(service.approve(10, storeOwner)).rejects.toMatchObject({ status: 409 });
    await service.deliver(10, storeOwner);
    expect(row).toMatchObject({ state: OrderState.Delivered, version: 3 });
    expect(events.recordChange.mock.calls.map((call) => call[2])).toEqual(['ORDER_APPROVED', 'ORDER_DELIVERED']);
  });

  it.each([
    ['cancel', 'deleteOrder'],
    ['approve', 'approveOrder'],
    ['deliver', 'deliverOrder'],
  ] as const)('under an Idempotency-Key, %ss in the transaction that records the key for the caller', async (action, operation) => {
    const { service, idempotentRequests, manager } = setUp(action === 'deliver' ? OrderState.Approved : OrderState.Placed);

    const order = await service[action](10, storeOwner, 'k-1');

    expect(idempotentRequests.once).toHaveBeenCalledWith(
      manager,
      { operation, key: 'k-1', userId: storeOwner.id, body: { orderId: 10 } },
      expect.any(Function),
    );
    expect(order).toMatchObject({ id: 10 });
  });

  it('under an Idempotency-Key the order was approved with, answers the order as approved without changing it again', async () => {
    const { service, row, events, idempotentRequests } = setUp(OrderState.Delivered);
    const approved = { id: 10, petId: row.petId, quantity: 1, status: OrderStatus.Approved, complete: false };
    idempotentRequests.once.mockResolvedValueOnce(approved);

    await expect(service.approve(10, storeOwner, 'k-1')).resolves.toEqual(approved);
    expect(events.recordChange).not.toHaveBeenCalled();
  });

  it('cancels instead of approving a placed order whose user no longer exists, saying so, and releases its pet', async () => {
    const { service, row, orders, events, users } = setUp(OrderState.Placed);
    users.existing.mockResolvedValueOnce([]);
    Object.assign(orders, { lockPlacedOfUsers: jest.fn(async () => [row]) });

    await expect(service.approve(10, storeOwner)).rejects.toMatchObject({
      status: 409,
      message: 'order 10 cannot be approved: its user no longer exists, so it is cancelled and its pet released',
    });
    expect(users.existing).toHaveBeenCalledWith([row.userId]);
    expect(row).toMatchObject({ state: OrderState.Cancelled, version: 2 });
    expect(events.recordChange.mock.calls.map((call) => call[2])).toEqual(['ORDER_CANCELLED']);
  });

  it('approves nothing while user-service cannot say whether the user exists', async () => {
    const { service, row, events, users } = setUp(OrderState.Placed);
    users.existing.mockRejectedValueOnce(Object.assign(new Error('user-service is unreachable; try again later'), { status: 503 }));

    await expect(service.approve(10, storeOwner)).rejects.toMatchObject({ status: 503 });
    expect(row).toMatchObject({ state: OrderState.Placed, version: 1 });
    expect(events.recordChange).not.toHaveBeenCalled();
  });

  it('refuses to deliver an order that is not approved', async () => {
    const { service } = setUp(OrderState.Placed);

    await expect(service.deliver(10, storeOwner)).rejects.toMatchObject({
      status: 409,
      message: 'order 10 is placed; only approved orders can be delivered',
    });
  });
});
