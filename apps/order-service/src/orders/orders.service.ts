import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ORDER_STATUSES } from '@petstore/contracts';
import { AuthenticatedUser, hasRole, HoldOutcome, ListOrdersQuery, Order, OrderHold, OrderVersion, Role, VersionsPageQuery } from '@petstore/dto';
import { OutboxService } from '@petstore/messaging';
import { IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { EntityManager } from 'typeorm';
import { OrderEventsOutbox } from './order-events.outbox';
import { OrderRecord } from './order-record';
import { reservationOf, toOrderView } from './order-views';
import {
  EVENT_OF_ACTION,
  HOLD_OF_STATE,
  IllegalTransitionError,
  isVisible,
  nextState,
  OrderAction,
  OrderState,
  statesOf,
  visibleStatusOf,
} from './order-state';
import { OrderFilter, OrdersRepository } from './orders.repository';
import { UserDirectory } from './user-directory';

type ClientAction = Exclude<OrderAction, 'place' | 'reject'>;

/** The Petstore operation of each action, which names a key's request. */
const OPERATION_OF_ACTION: Record<ClientAction, string> = { cancel: 'deleteOrder', approve: 'approveOrder', deliver: 'deliverOrder' };

/**
 * Reading and moving orders once they exist. A customer sees only their own orders; anybody
 * else's answers 404, exactly like an order that does not exist, so order ids reveal nothing.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly events: OrderEventsOutbox,
    private readonly outbox: OutboxService,
    private readonly idempotentRequests: IdempotentRequests,
    private readonly users: UserDirectory,
  ) {}

  async get(orderId: number, caller: AuthenticatedUser): Promise<OrderRecord> {
    const order = await this.orders.findById(orderId);
    return this.visibleTo(caller, order, orderId);
  }

  /** Every placed order's status and version, or its cancellation, a page at a time: what a read model checks itself against. */
  versions(page: VersionsPageQuery): Promise<OrderVersion[]> {
    return this.orders.versionsAfter(page.afterId, page.limit, page.settledSeconds);
  }

  /**
   * What each order now means for the pet it reserved, for pet-service to check its pending pets
   * against: an order's own state, else a refusal recorded for an id never allocated (released);
   * an id unknown to both is left out, and so is one changed within `settledSeconds` (its event
   * may be on its way to pet-service).
   */
  async holds(orderIds: number[], settledSeconds = 0): Promise<OrderHold[]> {
    const [orders, refusals, unsettled] = await Promise.all([
      this.orders.findByIds(orderIds),
      this.orders.refusalsOf(orderIds),
      this.orders.changedWithin(orderIds, settledSeconds),
    ]);
    const allocated = new Set(orders.map((order) => order.id));
    const changedRecently = new Set(unsettled);
    return [
      ...orders.map((order) => ({ orderId: order.id, outcome: HOLD_OF_STATE[order.state], reservation: reservationOf(order) })),
      ...refusals
        .filter((reservation) => !allocated.has(reservation.orderId))
        .map((reservation) => ({ orderId: reservation.orderId, outcome: HoldOutcome.Released, reservation })),
    ].filter((hold) => !changedRecently.has(hold.orderId));
  }

  async list(query: ListOrdersQuery, caller: AuthenticatedUser): Promise<OrderRecord[]> {
    const filter: OrderFilter = {
      states: statesOf(query.status?.length ? query.status : ORDER_STATUSES),
      ...(query.petId ? { petId: query.petId } : {}),
      ...(hasRole(caller, Role.StoreOwner) ? {} : { userId: caller.id }),
    };
    return this.orders.list(filter, query);
  }

  /**
   * deleteOrder: only a placed order can be cancelled; ORDER_CANCELLED lets pet-service release
   * the pet. Like approve and deliver: sent again under the same Idempotency-Key, it answers the
   * order as the first send left it, where without the key it would be 404 (or 409).
   */
  cancel(orderId: number, caller: AuthenticatedUser, idempotencyKey?: string): Promise<Order> {
    return this.apply(orderId, caller, 'cancel', idempotencyKey);
  }

  /**
   * Approves a placed order, once user-service confirms its user still exists: the check that
   * cancels a deleted user's orders runs every minute, and an approval meanwhile would sell the
   * pet to nobody. An order whose user is gone is cancelled here instead (409, saying so).
   */
  async approve(orderId: number, caller: AuthenticatedUser, idempotencyKey?: string): Promise<Order> {
    this.requireStoreOwner(caller, 'approve');
    await this.cancelIfUserDeleted(orderId);
    return this.apply(orderId, caller, 'approve', idempotencyKey);
  }

  async deliver(orderId: number, caller: AuthenticatedUser, idempotencyKey?: string): Promise<Order> {
    this.requireStoreOwner(caller, 'deliver');
    return this.apply(orderId, caller, 'deliver', idempotencyKey);
  }

  private async apply(orderId: number, caller: AuthenticatedUser, action: ClientAction, idempotencyKey?: string): Promise<Order> {
    const keyed: IdempotentRequest | undefined = idempotencyKey
      ? { operation: OPERATION_OF_ACTION[action], key: idempotencyKey, userId: caller.id, body: { orderId } }
      : undefined;
    return this.outbox.transaction((manager) =>
      this.idempotentRequests.once(manager, keyed, async () => {
        const current = await this.orders.lockById(manager, orderId);
        const order = this.visibleTo(caller, current, orderId);
        try {
          await this.move(manager, order, action);
        } catch (error) {
          if (error instanceof IllegalTransitionError) throw new ConflictException(`order ${orderId} ${error.message}`);
          throw error;
        }
        return toOrderView(order);
      }),
    );
  }

  /**
   * Cancels the placed orders of these users, as their own deleteOrder would: ORDER_CANCELLED
   * lets pet-service release each pet. Answers how many were cancelled.
   */
  cancelPlacedOrdersOf(userIds: number[]): Promise<number> {
    return this.outbox.transaction(async (manager) => {
      const placed = await this.orders.lockPlacedOfUsers(manager, userIds);
      for (const order of placed) await this.move(manager, order, 'cancel');
      return placed.length;
    });
  }

  private async cancelIfUserDeleted(orderId: number): Promise<void> {
    const order = await this.orders.findById(orderId);
    if (order?.state !== OrderState.Placed || (await this.users.existing([order.userId])).length > 0) return;
    await this.cancelPlacedOrdersOf([order.userId]);
    throw new ConflictException(`order ${orderId} cannot be approved: its user no longer exists, so it is cancelled and its pet released`);
  }

  /** Moves a locked order by `action` and records its event, in the caller's transaction. */
  private async move(manager: EntityManager, order: OrderRecord, action: ClientAction): Promise<void> {
    const statusBefore = visibleStatusOf(order.state);
    order.state = nextState(order.state, action);
    order.version += 1;
    await this.orders.update(manager, order);
    await this.events.recordChange(manager, order, EVENT_OF_ACTION[action], statusBefore);
  }

  private visibleTo(caller: AuthenticatedUser, order: OrderRecord | null, orderId: number): OrderRecord {
    const mayRead = order !== null && (order.userId === caller.id || hasRole(caller, Role.StoreOwner));
    if (!order || !mayRead || !isVisible(order.state)) {
      const notYet = order !== null && mayRead && order.state === OrderState.Requested;
      throw new NotFoundException(
        notYet ? `order ${orderId} is not placed yet; its reservation is being confirmed, try again shortly` : `order ${orderId} not found`,
      );
    }
    return order;
  }

  private requireStoreOwner(caller: AuthenticatedUser, action: ClientAction): void {
    if (!hasRole(caller, Role.StoreOwner)) throw new ForbiddenException(`only a store owner can ${action} orders`);
  }
}
