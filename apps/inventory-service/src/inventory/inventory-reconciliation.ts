import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { OrderVersion, PetVersion } from '@petstore/dto';
import { countReadModelCheck, InjectServiceClient, ReadModel, readModelCheckConfig, ServiceClient, versionPages } from '@petstore/platform';
import { FIRST_CHECK_AFTER_START_MS, firstCheckAfterStart } from '@petstore/platform/database';
import { InventoryService } from './inventory.service';

/** How often the model is checked against its owners: a page of a thousand costs the owner one indexed read. */
export const INVENTORY_RECONCILIATION_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The inventory is built from pet-events and order-events, and an event the consumer never
 * applies leaves it wrong for good: one that expired while the service was away longer than the
 * topic's retention, one parked on the dead-letter topic and never replayed. Every pass reads
 * every pet's version from pet-service and every placed order's from order-service, which own
 * them, and takes each one newer than the model's; events newer still win as before (a version
 * never goes back). A change younger than READ_MODEL_CHECK_SETTLE_SECONDS is left to its event,
 * which may be on its way. With an owner away its part of the pass fails, with a log line, and
 * the next pass checks again. Each part counts how it ended and what it corrected (countReadModelCheck).
 */
@Injectable()
export class InventoryReconciliation {
  private readonly logger = new Logger(InventoryReconciliation.name);
  private readonly settledSeconds = readModelCheckConfig.read().settledSeconds;

  constructor(
    private readonly inventory: InventoryService,
    @InjectServiceClient('pet-service') private readonly petService: ServiceClient,
    @InjectServiceClient('order-service') private readonly orderService: ServiceClient,
  ) {}

  @Timeout(FIRST_CHECK_AFTER_START_MS)
  reconcileAfterStart(): Promise<void> {
    return firstCheckAfterStart(InventoryReconciliation.name, () => this.reconcile());
  }

  /** Answers whether both parts completed; a part that failed has said why. */
  @Interval(INVENTORY_RECONCILIATION_INTERVAL_MS)
  async reconcile(): Promise<boolean> {
    const pets = await this.catchUp<PetVersion>(ReadModel.InventoryPets, 'pet', this.petService, '/pets/versions', (pets) =>
      this.inventory.catchUpPets(pets),
    );
    const orders = await this.catchUp<OrderVersion>(ReadModel.InventoryOrders, 'order', this.orderService, '/orders/versions', (orders) =>
      this.inventory.catchUpOrders(orders),
    );
    return pets && orders;
  }

  private async catchUp<T extends { id: number }>(
    model: ReadModel,
    item: string,
    owner: ServiceClient,
    path: string,
    apply: (page: T[]) => Promise<number>,
  ): Promise<boolean> {
    let changed = 0;
    try {
      for await (const page of versionPages<T>(owner, path, this.settledSeconds)) changed += await apply(page);
    } catch (error) {
      countReadModelCheck(model, 'failed', changed);
      this.logger.warn(
        `checking the inventory's ${item}s against ${owner.service} failed, after ${changed} caught up; the next pass tries again: ${(error as Error).message}`,
      );
      return false;
    }
    countReadModelCheck(model, 'completed', changed);
    if (changed > 0) this.logger.log(`caught up on ${changed} ${item}(s) newer at ${owner.service} than the events applied so far`);
    return true;
  }
}
