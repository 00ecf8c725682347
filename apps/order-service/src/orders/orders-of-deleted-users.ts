import { Injectable, Logger } from '@nestjs/common';
import { Interval, Timeout } from '@nestjs/schedule';
import { MAX_VERSIONS_PAGE } from '@petstore/dto';
import { countReadModelCheck, ReadModel } from '@petstore/platform';
import { FIRST_CHECK_AFTER_START_MS, firstCheckAfterStart } from '@petstore/platform/database';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { UserDirectory } from './user-directory';

/** How often the users of placed orders are checked: a page of a thousand costs user-service one indexed read. */
export const ORDERS_OF_DELETED_USERS_CHECK_INTERVAL_MS = 60 * 1000;

/**
 * A deleted user's placed orders held their pets pending, for an order nobody could cancel but
 * the store owner and whose approval shipped to a user who no longer exists. user-service owns
 * users and publishes no events, so order-service asks it: every pass reads the users of placed
 * orders a page at a time, asks user-service which of them still exist (ids are never given
 * again, so a missing one is deleted), and cancels the placed orders of the rest, as their own
 * deleteOrder would: ORDER_CANCELLED releases each pet. Approved and delivered orders stay, the
 * store's record of what it sold. With user-service away the pass fails, with a log line, and the
 * next one checks again. Each pass counts how it ended and the orders it cancelled.
 */
@Injectable()
export class OrdersOfDeletedUsers {
  private readonly logger = new Logger(OrdersOfDeletedUsers.name);

  constructor(
    private readonly ordersRepository: OrdersRepository,
    private readonly orders: OrdersService,
    private readonly users: UserDirectory,
  ) {}

  @Timeout(FIRST_CHECK_AFTER_START_MS)
  checkAfterStart(): Promise<void> {
    return firstCheckAfterStart(OrdersOfDeletedUsers.name, () => this.check());
  }

  /** Answers whether the pass completed; one that failed has said why. */
  @Interval(ORDERS_OF_DELETED_USERS_CHECK_INTERVAL_MS)
  async check(): Promise<boolean> {
    let cancelled = 0;
    try {
      for (let afterUserId = 0, last = false; !last; ) {
        const userIds = await this.ordersRepository.usersWithPlacedOrdersAfter(afterUserId, MAX_VERSIONS_PAGE);
        if (userIds.length > 0) cancelled += await this.cancelOrdersOfDeleted(userIds);
        last = userIds.length < MAX_VERSIONS_PAGE;
        afterUserId = userIds.at(-1) ?? afterUserId;
      }
    } catch (error) {
      countReadModelCheck(ReadModel.OrdersOfDeletedUsers, 'failed', cancelled);
      this.logger.warn(
        `checking the users of placed orders against user-service failed, after ${cancelled} cancelled; the next pass tries again: ${(error as Error).message}`,
      );
      return false;
    }
    countReadModelCheck(ReadModel.OrdersOfDeletedUsers, 'completed', cancelled);
    if (cancelled > 0) this.logger.log(`cancelled ${cancelled} placed order(s) of deleted users, releasing their pets`);
    return true;
  }

  private async cancelOrdersOfDeleted(userIds: number[]): Promise<number> {
    const existing = new Set(await this.users.existing(userIds));
    const deleted = userIds.filter((userId) => !existing.has(userId));
    return deleted.length > 0 ? this.orders.cancelPlacedOrdersOf(deleted) : 0;
  }
}
