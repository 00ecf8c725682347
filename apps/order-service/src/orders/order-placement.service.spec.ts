import { ConflictException, HttpException, HttpStatus, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Role } from '@petstore/dto';
import { OutboxService } from '@petstore/messaging';
import { errorBody } from '@petstore/platform';
import type { IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { EntityManager } from 'typeorm';
import { OrderPlacementService } from './order-placement.service';
import { OrderRecord } from './order-record';
import { orderRecord } from './order-record.fixture';
import { OrderState } from './order-state';
import { OrdersConfig } from './orders.config';
import { NewOrder, OrdersRepository } from './orders.repository';
import { PetReservationsClient } from './pet-reservations.client';
import { PlacementWaiter } from './placement-waiter';

const caller = { id: 3, username: 'ann', roles: [Role.Customer] };
const request = { petId: 7, quantity: 1 };
const config: OrdersConfig = {
  placementWaitMs: 300,
  placementDeadlineMs: 60000,
  maxPlacedOrdersPerUser: 2,
  reservationTimeoutMs: 100,
  reservationAttempts: 2,
};
const AWAITING_DECISION = [OrderState.Requested, OrderState.Placed];

/**
 * The orders table (ids from 10 up) as the service, the consumer and the abandon statement see
 * it, and the Idempotency-Keys recorded, as committed at once.
 */
function setUp(reserve: (order: OrderRecord) => Promise<unknown>) {
  const rows = new Map<number, OrderRecord>();
  let latest: OrderRecord | null = null;
  const orders = {
    allocate: jest.fn(async (_manager: EntityManager, order: NewOrder, mostAwaitingDecision: number) => {
      const awaiting = [...rows.values()].filter((row) => row.userId === order.userId && AWAITING_DECISION.includes(row.state));
      if (awaiting.length >= mostAwaitingDecision) return null;
      latest = orderRecord({ ...order, id: 10 + rows.size, state: OrderState.Requested, version: 0 });
      rows.set(latest.id, latest);
      return { ...latest };
    }),
    abandon: jest.fn(async (id: number, reason: string) => {
      const row = rows.get(id);
      if (row?.state !== OrderState.Requested) return false;
      row.state = OrderState.Rejected;
      row.rejectionReason = reason;
      return true;
    }),
    findById: jest.fn(async (id: number) => {
      const row = rows.get(id);
      return row ? { ...row } : null;
    }),
  };
  const recordedKeys = new Map<string, { fingerprint: string; answer: unknown }>();
  const idempotentRequests = {
    claim: jest.fn(async (_manager: EntityManager, keyed: IdempotentRequest) => {
      const recorded = recordedKeys.get(keyed.key);
      if (!recorded) return undefined;
      if (recorded.fingerprint !== JSON.stringify(keyed.body)) throw new UnprocessableEntityException('another request');
      return { answer: recorded.answer };
    }),
    record: jest.fn(async (_manager: EntityManager, keyed: IdempotentRequest, answer: unknown) => {
      recordedKeys.set(keyed.key, { fingerprint: JSON.stringify(keyed.body), answer });
    }),
  };
  const outbox = { transaction: (work: (manager: EntityManager) => Promise<unknown>) => work({} as EntityManager) };
  const waiter = new PlacementWaiter();
  const reservations = { reserve: jest.fn(reserve) } as unknown as PetReservationsClient;
  const service = new OrderPlacementService(
    orders as unknown as OrdersRepository,
    reservations,
    waiter,
    outbox as unknown as OutboxService,
    idempotentRequests as unknown as IdempotentRequests,
    config,
  );
  /** What the PET_RESERVED consumer (or a cancellation) does to the latest order. */
  const consume = (state: OrderState, rejectionReason: string | null = null) => {
    if (!latest) return;
    Object.assign(latest, { state, rejectionReason, version: latest.version + 1 });
    waiter.signal({ ...latest });
  };
  return { service, consume, orders, reservations, row: () => latest };
}

describe('OrderPlacementService', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));

  it('answers with the placed order once the consumer has created it', async () => {
    const { service, consume } = setUp(async () => setTimeout(() => consume(OrderState.Placed), 20));

    const outcome = await service.place(request, caller);

    expect(outcome.placed).toBe(true);
    expect(outcome.order).toMatchObject({ id: 10, petId: 7, userId: 3, state: OrderState.Placed, version: 1 });
  });

  it('answers "not placed yet" (202) when the consumer does not confirm within the wait', async () => {
    const { service, row } = setUp(async () => undefined);

    const outcome = await service.place(request, caller);

    expect(outcome).toMatchObject({ placed: false, order: { id: 10, state: OrderState.Requested } });
    expect(row()?.state).toBe(OrderState.Requested);
  });

  it("passes pet-service's 409 through and marks the request rejected, so a late event is refused too", async () => {
    const refusal = new ConflictException('pet 7 is not available: it is pending');
    const { service, row } = setUp(async () => Promise.reject(refusal));

    await expect(service.place(request, caller)).rejects.toBe(refusal);
    expect(row()).toMatchObject({ state: OrderState.Rejected, rejectionReason: 'pet 7 is not available: it is pending' });
  });

  it("passes an unknown pet's 404 through", async () => {
    const { service } = setUp(async () => Promise.reject(new NotFoundException('pet 7 not found')));

    await expect(service.place(request, caller)).rejects.toThrow('pet 7 not found');
  });

  it('answers 503 saying no order was placed when pet-service never confirms', async () => {
    const unavailable = new HttpException(errorBody(503, 'pet-service did not answer within 100 ms; try again later'), 503);
    const { service, row } = setUp(async () => Promise.reject(unavailable));

    const failure = service.place(request, caller);

    await expect(failure).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
    await expect(failure).rejects.toThrow(/no order was placed/);
    expect(row()?.state).toBe(OrderState.Rejected);
  });

  it('answers with the order when the reservation timed out but its event was consumed anyway', async () => {
    const unavailable = new HttpException(errorBody(503, 'pet-service did not answer'), 503);
    const { service, consume } = setUp(async () => {
      consume(OrderState.Placed);
      throw unavailable;
    });

    await expect(service.place(request, caller)).resolves.toMatchObject({ placed: true, order: { state: OrderState.Placed } });
  });

  it('answers 409 with the reason when the consumer rejected the reservation', async () => {
    const { service, consume } = setUp(async () => consume(OrderState.Rejected, 'pet 7 is already held by order 5'));

    await expect(service.place(request, caller)).rejects.toThrow('order 10 could not be placed: pet 7 is already held by order 5');
  });

  describe("at the most orders one user may have awaiting the store's decision", () => {
    it('answers 409 naming the limit and what to do, reserving nothing', async () => {
      const { service, consume, reservations } = setUp(async () => consume(OrderState.Placed));
      await service.place(request, caller);
      await service.place({ ...request, petId: 8 }, caller);

      await expect(service.place({ ...request, petId: 9 }, caller)).rejects.toThrow(
        new ConflictException(
          "ann already has 2 orders placed and awaiting the store's approval, the most one user may have; cancel one or wait " +
            'until the store approves one, then order again. No order was placed and no pet reserved',
        ),
      );
      expect(reservations.reserve).toHaveBeenCalledTimes(2);
    });

    it('places again once one of them is decided, and counts each user on their own', async () => {
      const { service, consume } = setUp(async () => consume(OrderState.Placed));
      await service.place(request, caller);
      await service.place({ ...request, petId: 8 }, caller);
      consume(OrderState.Approved);

      await expect(service.place({ ...request, petId: 9 }, caller)).resolves.toMatchObject({ placed: true });
      await expect(service.place({ ...request, petId: 10 }, { ...caller, id: 4, username: 'bob' })).resolves.toMatchObject({ placed: true });
    });

    it('still answers the order a key placed when sent again', async () => {
      const { service, consume } = setUp(async () => consume(OrderState.Placed));
      await service.place(request, caller, 'k-1');
      await service.place({ ...request, petId: 8 }, caller);

      await expect(service.place(request, caller, 'k-1')).resolves.toMatchObject({ placed: true, order: { id: 10 } });
    });
  });

  describe('sent again under the same Idempotency-Key', () => {
    it('follows the order the first send is still placing, reserving nothing more, and both answer it', async () => {
      const { service, consume, orders, reservations } = setUp(async () => setTimeout(() => consume(OrderState.Placed), 100));

      const first = service.place(request, caller, 'k-1');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const again = service.place(request, caller, 'k-1');

      expect(await first).toMatchObject({ placed: true, order: { id: 10 } });
      expect(await again).toMatchObject({ placed: true, order: { id: 10, state: OrderState.Placed } });
      expect(orders.allocate).toHaveBeenCalledTimes(1);
      expect(reservations.reserve).toHaveBeenCalledTimes(1);
    });

    it('places a new order when the key names one that was rejected (it holds no pet), and the key names the new one', async () => {
      let reservationAnswers = 0;
      const { service, consume, orders } = setUp(async () => {
        if (reservationAnswers++ === 0) throw new HttpException(errorBody(503, 'pet-service did not answer'), 503);
        consume(OrderState.Placed);
      });

      await expect(service.place(request, caller, 'k-1')).rejects.toMatchObject({ status: HttpStatus.SERVICE_UNAVAILABLE });
      expect(await service.place(request, caller, 'k-1')).toMatchObject({ placed: true, order: { id: 11 } });
      expect(await service.place(request, caller, 'k-1')).toMatchObject({ placed: true, order: { id: 11 } });
      expect(orders.allocate).toHaveBeenCalledTimes(2);
    });

    it('answers 409 for a key whose order was cancelled since, placing nothing', async () => {
      const { service, consume, orders } = setUp(async () => consume(OrderState.Placed));
      await service.place(request, caller, 'k-1');
      consume(OrderState.Cancelled);

      await expect(service.place(request, caller, 'k-1')).rejects.toThrow(
        'order 10, placed under this Idempotency-Key, has since been cancelled; send a new key to order again',
      );
      expect(orders.allocate).toHaveBeenCalledTimes(1);
    });

    it('keys only what the store takes from the order: the pet, quantity and ship date', async () => {
      const { service, consume } = setUp(async () => consume(OrderState.Placed));
      await service.place({ ...request, id: 99, status: 'approved' } as typeof request, caller, 'k-1');

      expect(await service.place(request, caller, 'k-1')).toMatchObject({ placed: true, order: { id: 10 } });
      await expect(service.place({ ...request, quantity: 2 }, caller, 'k-1')).rejects.toBeInstanceOf(UnprocessableEntityException);
    });
  });
});
