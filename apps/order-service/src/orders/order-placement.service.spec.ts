import { ConflictException, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { Role } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
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
const config: OrdersConfig = { placementWaitMs: 300, placementDeadlineMs: 60000, reservationTimeoutMs: 100, reservationAttempts: 2 };

/** One orders table row (id 10) as the service, the consumer and the abandon statement see it. */
function setUp(reserve: (order: OrderRecord) => Promise<unknown>) {
  let row: OrderRecord | null = null;
  const orders = {
    allocate: jest.fn(async (order: NewOrder) => {
      row = orderRecord({ ...order, id: 10, state: OrderState.Requested, version: 0 });
      return { ...row };
    }),
    abandon: jest.fn(async (_id: number, reason: string) => {
      if (row?.state !== OrderState.Requested) return false;
      row.state = OrderState.Rejected;
      row.rejectionReason = reason;
      return true;
    }),
    findById: jest.fn(async () => (row ? { ...row } : null)),
  };
  const waiter = new PlacementWaiter();
  const reservations = { reserve: jest.fn(reserve) } as unknown as PetReservationsClient;
  const service = new OrderPlacementService(orders as unknown as OrdersRepository, reservations, waiter, config);
  /** What the PET_RESERVED consumer does to the row. */
  const consume = (state: OrderState, rejectionReason: string | null = null) => {
    if (!row) return;
    Object.assign(row, { state, rejectionReason, version: row.version + 1 });
    waiter.signal({ ...row });
  };
  return { service, consume, orders, row: () => row };
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
});
