import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { MAX_VERSIONS_PAGE, OrderHold } from '@petstore/dto';
import { countReadModelCheck, InjectServiceClient, ReadModel, readModelCheckConfig, ServiceClient } from '@petstore/platform';
import { FIRST_CHECK_AFTER_START_MS, firstCheckAfterStart } from '@petstore/platform/database';
import { PetsRepository } from '../pets/pets.repository';
import { ReservationsService } from './reservations.service';

/** How often the pending pets are checked against their orders: a page of a thousand costs order-service two indexed reads. */
export const PENDING_PETS_CHECK_INTERVAL_MS = 10 * 60 * 1000;

/**
 * A pending pet leaves `pending` on its order's ORDER_CANCELLED, ORDER_REJECTED or
 * ORDER_APPROVED. One pet-service never applies (expired while it was away longer than
 * order-events' retention, or parked on the dead-letter topic and never replayed) left the pet
 * pending for good, held by an order that no longer holds it. Every pass reads the pending pets a
 * page at a time, asks order-service, which owns the orders, what each holding order means now,
 * and releases or sells each pet as its order says (conditionally, as the events do, so an event
 * arriving later changes nothing). An order changed within READ_MODEL_CHECK_SETTLE_SECONDS is
 * left to its event, which may be on its way. With order-service away the pass fails, with a log
 * line, and the next one checks again. Each pass counts how it ended and the pets it changed.
 */
@Injectable()
export class PendingPetsCheck {
  private readonly logger = new Logger(PendingPetsCheck.name);
  private readonly settledSeconds = readModelCheckConfig.read().settledSeconds;

  constructor(
    private readonly pets: PetsRepository,
    private readonly reservations: ReservationsService,
    @InjectServiceClient('order-service') private readonly orderService: ServiceClient,
  ) {}

  @Timeout(FIRST_CHECK_AFTER_START_MS)
  checkAfterStart(): Promise<void> {
    return firstCheckAfterStart(PendingPetsCheck.name, () => this.check());
  }

  /** Answers whether the pass completed; one that failed has said why. */
  @Interval(PENDING_PETS_CHECK_INTERVAL_MS)
  async check(): Promise<boolean> {
    let changed = 0;
    try {
      for (let afterId = 0, last = false; !last; ) {
        const pending = await this.pets.pendingAfter(afterId, MAX_VERSIONS_PAGE);
        if (pending.length > 0) changed += await this.settle(pending);
        last = pending.length < MAX_VERSIONS_PAGE;
        afterId = pending.at(-1)?.id ?? afterId;
      }
    } catch (error) {
      countReadModelCheck(ReadModel.PendingPets, 'failed', changed);
      this.logger.warn(
        `checking the pending pets against order-service failed, after ${changed} settled; the next pass tries again: ${(error as Error).message}`,
      );
      return false;
    }
    countReadModelCheck(ReadModel.PendingPets, 'completed', changed);
    if (changed > 0) this.logger.log(`settled ${changed} pending pet(s) whose order had moved on without its event applied here`);
    return true;
  }

  private async settle(pending: { id: number; orderId: number }[]): Promise<number> {
    const holds = await this.orderService.json<OrderHold[]>({
      method: 'POST',
      path: '/orders/holds',
      json: { orderIds: pending.map((pet) => pet.orderId), settledSeconds: this.settledSeconds },
    });
    let changed = 0;
    for (const hold of holds) if (await this.reservations.settle(hold)) changed++;
    return changed;
  }
}
