import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { MAX_PET_VERSIONS_PAGE, PetVersion } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import { InventoryService } from './inventory.service';

/** How often the model is checked against pet-service: a page of a thousand pets costs pet-service one indexed read. */
export const INVENTORY_RECONCILIATION_INTERVAL_MS = 10 * 60 * 1000;

/** A service that starts checks soon after, so a model left behind while it was away is right again within seconds. */
const FIRST_PASS_DELAY_MS = 5000;

/**
 * The inventory is built from pet-events, and an event the consumer never applies leaves it
 * wrong for good: one that expired while the service was away longer than the topic's retention,
 * one parked on the dead-letter topic and never replayed. Every pass reads every pet's version
 * from pet-service, which owns them, and takes each one newer than the model's; events newer
 * still win as before (a version never goes back). With pet-service away the pass fails, with a
 * log line, and the next one checks again.
 */
@Injectable()
export class InventoryReconciliation {
  private readonly logger = new Logger(InventoryReconciliation.name);

  constructor(
    private readonly inventory: InventoryService,
    @InjectServiceClient('pet-service') private readonly petService: ServiceClient,
  ) {}

  @Timeout(FIRST_PASS_DELAY_MS)
  reconcileAfterStart(): Promise<void> {
    return this.reconcile();
  }

  @Interval(INVENTORY_RECONCILIATION_INTERVAL_MS)
  async reconcile(): Promise<void> {
    let changed = 0;
    try {
      for (let afterId = 0, last = false; !last; ) {
        const page = await this.petService.json<PetVersion[]>({
          path: '/pets/versions',
          query: { afterId: String(afterId), limit: String(MAX_PET_VERSIONS_PAGE) },
        });
        changed += await this.inventory.catchUp(page);
        last = page.length < MAX_PET_VERSIONS_PAGE;
        afterId = page.at(-1)?.id ?? afterId;
      }
    } catch (error) {
      this.logger.warn(
        `checking the inventory against pet-service failed, after ${changed} pet(s) caught up; the next pass tries again: ${(error as Error).message}`,
      );
      return;
    }
    if (changed > 0) this.logger.log(`caught up on ${changed} pet(s) newer at pet-service than the events applied so far`);
  }
}
