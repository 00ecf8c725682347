import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { PetStatus } from '@petstore/contracts';
import { MAX_PET_VERSIONS_PAGE, PetVersion } from '@petstore/dto';
import { ServiceClient } from '@petstore/platform';
import { InventoryReconciliation } from './inventory-reconciliation';
import { InventoryService } from './inventory.service';

function petsFrom(firstId: number, count: number): PetVersion[] {
  return Array.from({ length: count }, (_, index) => ({ id: firstId + index * 2, status: PetStatus.Available, version: 1, deleted: false }));
}

function setUp(pages: (PetVersion[] | Error)[]) {
  const inventory = { catchUp: jest.fn(async (pets: PetVersion[]) => pets.length % 7) };
  const petService = {
    json: jest.fn(async (_request: { path: string; query: Record<string, string> }) => {
      const page = pages.shift();
      if (!page || page instanceof Error) throw page ?? new Error('no more pages');
      return page;
    }),
  };
  const reconciliation = new InventoryReconciliation(inventory as unknown as InventoryService, petService as unknown as ServiceClient);
  return { reconciliation, inventory, petService };
}

describe('InventoryReconciliation', () => {
  it('reads every page of pet versions after the last id of the one before, until a short page, and catches up on each', async () => {
    const first = petsFrom(1, MAX_PET_VERSIONS_PAGE);
    const last = petsFrom(first[first.length - 1].id + 2, 3);
    const { reconciliation, inventory, petService } = setUp([first, last]);

    await reconciliation.reconcile();

    expect(petService.json.mock.calls.map(([request]) => request)).toEqual([
      { path: '/pets/versions', query: { afterId: '0', limit: String(MAX_PET_VERSIONS_PAGE) } },
      { path: '/pets/versions', query: { afterId: String(first[first.length - 1].id), limit: String(MAX_PET_VERSIONS_PAGE) } },
    ]);
    expect(inventory.catchUp.mock.calls).toEqual([[first], [last]]);
  });

  it('stops at an empty store', async () => {
    const { reconciliation, petService } = setUp([[]]);
    await reconciliation.reconcile();
    expect(petService.json).toHaveBeenCalledTimes(1);
  });

  it('with pet-service away, says so and how far it got, and leaves the rest to the next pass', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { reconciliation, inventory } = setUp([petsFrom(1, MAX_PET_VERSIONS_PAGE), new ServiceUnavailableException('pet-service is unreachable')]);

    await expect(reconciliation.reconcile()).resolves.toBeUndefined();

    expect(inventory.catchUp).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      `checking the inventory against pet-service failed, after ${MAX_PET_VERSIONS_PAGE % 7} pet(s) caught up; the next pass tries again: pet-service is unreachable`,
    );
    warn.mockRestore();
  });
});
