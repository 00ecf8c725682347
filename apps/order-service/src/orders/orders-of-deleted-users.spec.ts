import { Logger } from '@nestjs/common';
import { MAX_VERSIONS_PAGE } from '@petstore/dto';
import { countReadModelCheck, ReadModel } from '@petstore/platform';
import { OrdersOfDeletedUsers } from './orders-of-deleted-users';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { UserDirectory } from './user-directory';

jest.mock('@petstore/platform', () => ({ ...jest.requireActual('@petstore/platform'), countReadModelCheck: jest.fn() }));

/** User ids of placed orders, served a page at a time as the repository would. */
function usersWithPlacedOrders(userIds: number[]) {
  return jest.fn(async (afterUserId: number, limit: number) => userIds.filter((id) => id > afterUserId).slice(0, limit));
}

describe('OrdersOfDeletedUsers', () => {
  beforeEach(() => jest.mocked(countReadModelCheck).mockClear());
  afterEach(() => jest.restoreAllMocks());

  it('cancels the placed orders of the users user-service no longer has, page by page', async () => {
    const userIds = Array.from({ length: MAX_VERSIONS_PAGE + 2 }, (_, index) => index + 1);
    const repository = { usersWithPlacedOrdersAfter: usersWithPlacedOrders(userIds) };
    const orders = { cancelPlacedOrdersOf: jest.fn(async (deleted: number[]) => deleted.length * 2) };
    const users = { existing: jest.fn(async (ids: number[]) => ids.filter((id) => id !== 7 && id !== 1001)) };

    const check = new OrdersOfDeletedUsers(
      repository as unknown as OrdersRepository,
      orders as unknown as OrdersService,
      users as unknown as UserDirectory,
    );

    await expect(check.check()).resolves.toBe(true);
    expect(users.existing).toHaveBeenCalledTimes(2);
    expect(orders.cancelPlacedOrdersOf.mock.calls).toEqual([[[7]], [[1001]]]);
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.OrdersOfDeletedUsers, 'completed', 4);
  });

  it('cancels nothing while every user exists', async () => {
    const orders = { cancelPlacedOrdersOf: jest.fn() };
    const users = { existing: jest.fn(async (ids: number[]) => ids) };
    const check = new OrdersOfDeletedUsers(
      { usersWithPlacedOrdersAfter: usersWithPlacedOrders([3, 4]) } as unknown as OrdersRepository,
      orders as unknown as OrdersService,
      users as unknown as UserDirectory,
    );

    await expect(check.check()).resolves.toBe(true);
    expect(orders.cancelPlacedOrdersOf).not.toHaveBeenCalled();
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.OrdersOfDeletedUsers, 'completed', 0);
  });

  it('fails the pass, cancelling nothing, with user-service away', async () => {
    const orders = { cancelPlacedOrdersOf: jest.fn() };
    const users = { existing: jest.fn(async () => Promise.reject(new Error('user-service is unreachable'))) };
    const check = new OrdersOfDeletedUsers(
      { usersWithPlacedOrdersAfter: usersWithPlacedOrders([3]) } as unknown as OrdersRepository,
      orders as unknown as OrdersService,
      users as unknown as UserDirectory,
    );

    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    await expect(check.check()).resolves.toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('checking the users of placed orders against user-service failed'));
    expect(orders.cancelPlacedOrdersOf).not.toHaveBeenCalled();
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.OrdersOfDeletedUsers, 'failed', 0);
  });
});
