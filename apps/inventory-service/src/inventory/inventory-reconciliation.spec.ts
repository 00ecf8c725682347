import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { OrderStatus, PetStatus } from '@petstore/contracts';
import { MAX_VERSIONS_PAGE, OrderVersion, PetVersion } from '@petstore/dto';
import { countReadModelCheck, ReadModel, ServiceClient } from '@petstore/platform';
import { InventoryReconciliation } from './inventory-reconciliation';
import { InventoryService } from './inventory.service';

jest.mock('@petstore/platform', () => ({ ...jest.requireActual('@petstore/platform'), countReadModelCheck: jest.fn() }));

type Page = { id: number }[];

function petsFrom(firstId: number, count: number): PetVersion[] {
  return Array.from({ length: count }, (_, index) => ({ id: firstId + index * 2, status: PetStatus.Available, version: 1, deleted: false }));
}

const ORDER: OrderVersion = { id: 4, petId: 9, status: OrderStatus.Placed, version: 2, cancelled: false };

/** An owner answering its pages in turn, or failing with an Error given in their place. */
function owner(service: string, pages: (Page | Error)[]) {
  return {
    service,
    json: jest.fn<Promise<Page>, [{ path: string; query: Record<string, string> }]>(async () => {
      const page = pages.shift();
      if (!page || page instanceof Error) throw page ?? new Error('no more pages');
      return page;
    }),
  };
}

function setUp(petPages: (Page | Error)[], orderPages: (Page | Error)[] = [[ORDER]]) {
  const inventory = {
    catchUpPets: jest.fn(async (pets: PetVersion[]) => pets.length % 7),
    catchUpOrders: jest.fn(async (orders: OrderVersion[]) => orders.length),
  };
  const petService = owner('pet-service', petPages);
  const orderService = owner('order-service', orderPages);
  const reconciliation = new InventoryReconciliation(
    inventory as unknown as InventoryService,
    petService as unknown as ServiceClient,
    orderService as unknown as ServiceClient,
  );
  return { reconciliation, inventory, petService, orderService };
}

describe('InventoryReconciliation', () => {
  beforeEach(() => jest.mocked(countReadModelCheck).mockClear());

  it('reads every page of pet versions after the last id of the one before, until a short page, and catches up on each', async () => {
    const first = petsFrom(1, MAX_VERSIONS_PAGE);
    const last = petsFrom(first[first.length - 1].id + 2, 3);
    const { reconciliation, inventory, petService } = setUp([first, last]);

    await expect(reconciliation.reconcile()).resolves.toBe(true);

    expect(petService.json.mock.calls.map(([request]) => request)).toEqual([
      { path: '/pets/versions', query: { afterId: '0', limit: String(MAX_VERSIONS_PAGE), settledSeconds: '60' } },
      { path: '/pets/versions', query: { afterId: String(first[first.length - 1].id), limit: String(MAX_VERSIONS_PAGE), settledSeconds: '60' } },
    ]);
    expect(inventory.catchUpPets.mock.calls).toEqual([[first], [last]]);
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.InventoryPets, 'completed', (MAX_VERSIONS_PAGE % 7) + 3);
  });

  it('catches up on the orders order-service answers, and stops at an empty store', async () => {
    const { reconciliation, inventory, petService, orderService } = setUp([[]], [[ORDER]]);
    await expect(reconciliation.reconcile()).resolves.toBe(true);
    expect(petService.json).toHaveBeenCalledTimes(1);
    expect(orderService.json).toHaveBeenCalledWith({
      path: '/orders/versions',
      query: { afterId: '0', limit: String(MAX_VERSIONS_PAGE), settledSeconds: '60' },
    });
    expect(inventory.catchUpOrders).toHaveBeenCalledWith([ORDER]);
  });

  it('with pet-service away, says so and how far it got, and still checks the orders', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { reconciliation, inventory } = setUp([petsFrom(1, MAX_VERSIONS_PAGE), new ServiceUnavailableException('pet-service is unreachable')]);

    await expect(reconciliation.reconcile()).resolves.toBe(false);

    expect(inventory.catchUpPets).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      `checking the inventory's pets against pet-service failed, after ${MAX_VERSIONS_PAGE % 7} caught up; the next pass tries again: pet-service is unreachable`,
    );
    expect(inventory.catchUpOrders).toHaveBeenCalledWith([ORDER]);
    expect(jest.mocked(countReadModelCheck).mock.calls).toEqual([
      [ReadModel.InventoryPets, 'failed', MAX_VERSIONS_PAGE % 7],
      [ReadModel.InventoryOrders, 'completed', 1],
    ]);
    warn.mockRestore();
  });
});
