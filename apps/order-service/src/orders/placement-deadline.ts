import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxService } from '@petstore/messaging';
import { OrderEventsOutbox } from './order-events.outbox';
import { nextState } from './order-state';
import { reservationOf } from './order-views';
import { ordersConfig, OrdersConfig } from './orders.config';
import { OrdersRepository } from './orders.repository';

const EXPIRED_PER_PASS = 100;

/**
 * The placement saga's timeout: an order still `requested` after the deadline (its PET_RESERVED
 * never came, or came while order-service could not apply it) is rejected with ORDER_REJECTED,
 * so pet-service releases whatever hold it took for it. A PET_RESERVED that arrives later finds
 * the order rejected and is answered with ORDER_REJECTED too, so no hold outlives its order.
 * Instances share the work: each pass takes the expired rows no other pass has locked.
 */
@Injectable()
export class PlacementDeadline implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlacementDeadline.name);
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly outbox: OutboxService,
    private readonly orders: OrdersRepository,
    private readonly events: OrderEventsOutbox,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = Math.min(10_000, Math.max(1_000, Math.floor(this.config.placementDeadlineMs / 6)));
    this.timer = setInterval(() => {
      this.pass = this.rejectExpired().catch((error: Error) => this.logger.warn(`expired orders not rejected yet: ${error.message}`));
    }, everyMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  /** One pass: rejects the orders past the deadline and answers how many. */
  rejectExpired(): Promise<number> {
    const reason = `not confirmed by pet-service within ${this.config.placementDeadlineMs} ms`;
    return this.outbox.transaction(async (manager) => {
      const expired = await this.orders.lockExpired(manager, this.config.placementDeadlineMs / 1000, EXPIRED_PER_PASS);
      for (const order of expired) {
        this.logger.warn(`rejecting order ${order.id} for pet ${order.petId}: ${reason}`);
        order.state = nextState(order.state, 'reject');
        order.rejectionReason = reason;
        order.version += 1;
        await this.orders.update(manager, order);
        await this.events.recordRejection(manager, reservationOf(order), order.version, reason);
      }
      return expired.length;
    });
  }
}
