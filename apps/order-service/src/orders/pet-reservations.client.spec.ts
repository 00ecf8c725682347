import { ConflictException, HttpException, Logger } from '@nestjs/common';
import { errorBody, ServiceClient } from '@petstore/platform';
import { orderRecord } from './order-record.fixture';
import { PetReservationsClient } from './pet-reservations.client';

const order = orderRecord({ quantity: 2, shipDate: new Date('2030-01-02T03:04:05.000Z') });
const timeout = () => new HttpException(errorBody(503, 'pet-service did not answer within 100 ms; try again later'), 503);

function client(...answers: (() => unknown)[]) {
  const json = jest.fn(async () => {
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return answer();
  });
  const reservations = new PetReservationsClient({ json } as unknown as ServiceClient, {
    placementWaitMs: 1000,
    placementDeadlineMs: 60000,
    maxPlacedOrdersPerUser: 10,
    reservationTimeoutMs: 100,
    reservationAttempts: 3,
  });
  return { reservations, json };
}

describe('PetReservationsClient', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));

  it("asks pet-service to reserve the pet for the order, with the order's own timeout", async () => {
    const { reservations, json } = client(() => ({ id: 7 }));

    await reservations.reserve(order);

    expect(json).toHaveBeenCalledWith({
      method: 'POST',
      path: '/reservations',
      json: { orderId: 10, petId: 7, userId: 3, quantity: 2, shipDate: '2030-01-02T03:04:05.000Z' },
      timeoutMs: 100,
    });
  });

  it('asks again after a timeout: the reservation is idempotent by order id', async () => {
    const { reservations, json } = client(
      () => {
        throw timeout();
      },
      () => ({ id: 7 }),
    );

    await expect(reservations.reserve(order)).resolves.toEqual({ id: 7 });
    expect(json).toHaveBeenCalledTimes(2);
  });

  it('gives up after the configured attempts', async () => {
    const { reservations, json } = client(...[1, 2, 3].map(() => () => Promise.reject(timeout())));

    await expect(reservations.reserve(order)).rejects.toMatchObject({ status: 503 });
    expect(json).toHaveBeenCalledTimes(3);
  });

  it('never retries a refusal', async () => {
    const { reservations, json } = client(() => Promise.reject(new ConflictException('pet 7 is not available')));

    await expect(reservations.reserve(order)).rejects.toThrow('pet 7 is not available');
    expect(json).toHaveBeenCalledTimes(1);
  });
});
