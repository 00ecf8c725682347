import { Logger } from '@nestjs/common';
import { HoldOutcome, MAX_VERSIONS_PAGE, OrderHold } from '@petstore/dto';
import { countReadModelCheck, ReadModel, ServiceClient } from '@petstore/platform';
import { PetsRepository } from '../pets/pets.repository';
import { PendingPetsCheck } from './pending-pets-check';
import { ReservationsService } from './reservations.service';

jest.mock('@petstore/platform', () => ({ ...jest.requireActual('@petstore/platform'), countReadModelCheck: jest.fn() }));

type PendingPet = { id: number; orderId: number };

function pendingFrom(firstId: number, count: number): PendingPet[] {
  return Array.from({ length: count }, (_, index) => ({ id: firstId + index, orderId: 1000 + firstId + index }));
}

function holdOf(orderId: number, outcome: HoldOutcome): OrderHold {
  return { orderId, outcome, reservation: { orderId, petId: orderId - 1000, userId: 2, quantity: 1 } };
}

/** Pending pets answered a page at a time, and order-service answering each order by `outcomeOf`, or failing. */
function setUp(pages: PendingPet[][], outcomeOf: (orderId: number) => HoldOutcome | Error) {
  const pets = { pendingAfter: jest.fn(async () => pages.shift() ?? []) };
  const orderService = {
    service: 'order-service',
    json: jest.fn(async ({ json }: { json: { orderIds: number[] } }) =>
      json.orderIds.map((orderId) => {
        const outcome = outcomeOf(orderId);
        if (outcome instanceof Error) throw outcome;
        return holdOf(orderId, outcome);
      }),
    ),
  };
  const reservations = { settle: jest.fn(async (hold: OrderHold) => hold.outcome !== HoldOutcome.Held) };
  const check = new PendingPetsCheck(
    pets as unknown as PetsRepository,
    reservations as unknown as ReservationsService,
    orderService as unknown as ServiceClient,
  );
  return { check, pets, orderService, reservations };
}

describe('PendingPetsCheck', () => {
  beforeEach(() => jest.mocked(countReadModelCheck).mockClear());
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  it('asks order-service about each page of pending pets, settles each pet with its order, and counts what changed', async () => {
    const outcomes = [HoldOutcome.Held, HoldOutcome.Released, HoldOutcome.Sold];
    const { check, pets, orderService, reservations } = setUp(
      [pendingFrom(1, MAX_VERSIONS_PAGE), pendingFrom(2001, 3)],
      (orderId) => outcomes[orderId % 3],
    );

    await expect(check.check()).resolves.toBe(true);

    expect(pets.pendingAfter.mock.calls).toEqual([
      [0, MAX_VERSIONS_PAGE],
      [MAX_VERSIONS_PAGE, MAX_VERSIONS_PAGE],
    ]);
    expect(orderService.json).toHaveBeenCalledWith({
      method: 'POST',
      path: '/orders/holds',
      json: { orderIds: pendingFrom(2001, 3).map((pet) => pet.orderId), settledSeconds: 60 },
    });
    expect(reservations.settle).toHaveBeenCalledTimes(MAX_VERSIONS_PAGE + 3);
    const changed = reservations.settle.mock.calls.filter(([hold]) => hold.outcome !== HoldOutcome.Held).length;
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.PendingPets, 'completed', changed);
  });

  it('asks nothing when no pet is pending', async () => {
    const { check, orderService } = setUp([[]], () => HoldOutcome.Held);

    await expect(check.check()).resolves.toBe(true);

    expect(orderService.json).not.toHaveBeenCalled();
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.PendingPets, 'completed', 0);
  });

  it('counts a pass order-service failed as failed, with what it settled before, and lets the next pass try again', async () => {
    const { check } = setUp([pendingFrom(1, MAX_VERSIONS_PAGE), pendingFrom(2001, 3)], (orderId) =>
      orderId > 2000 ? new Error('order-service did not answer') : HoldOutcome.Released,
    );

    await expect(check.check()).resolves.toBe(false);

    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.PendingPets, 'failed', MAX_VERSIONS_PAGE);
  });
});
