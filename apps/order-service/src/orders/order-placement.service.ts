import { ConflictException, HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { AuthenticatedUser, Order } from '@petstore/dto';
import { OutboxService } from '@petstore/messaging';
import { errorBody } from '@petstore/platform';
import { IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { OrderRecord } from './order-record';
import { isVisible, OrderState } from './order-state';
import { ordersConfig, OrdersConfig } from './orders.config';
import { OrdersRepository } from './orders.repository';
import { isUnavailable, PetReservationsClient } from './pet-reservations.client';
import { ExpectedPlacement, PlacementWaiter } from './placement-waiter';
import { EntityManager } from 'typeorm';

/** What placeOrder takes from the client's Order; the rest is the store's to set. */
export type OrderRequest = Pick<Order, 'petId' | 'quantity' | 'shipDate'>;

export type PlacementOutcome =
  /** The order exists: PET_RESERVED was consumed within the wait. */
  | { placed: true; order: OrderRecord }
  /** The pet is reserved but the order was not confirmed within the wait; it will be. */
  | { placed: false; order: OrderRecord };

/** An order allocated for this request, or the one its Idempotency-Key named already. */
type Allocation = { allocated: true; order: OrderRecord } | { allocated: false; order: OrderRecord | null };

/** What a key records for placeOrder: the order it placed. */
interface RecordedPlacement {
  orderId: number;
}

/**
 * placeOrder, as the design's "Place order" flow: allocate the order id, have pet-service
 * reserve the pet, and answer once the PET_RESERVED consumer has created the placed order.
 */
@Injectable()
export class OrderPlacementService {
  private readonly logger = new Logger(OrderPlacementService.name);

  constructor(
    private readonly orders: OrdersRepository,
    private readonly reservations: PetReservationsClient,
    private readonly waiter: PlacementWaiter,
    private readonly outbox: OutboxService,
    private readonly idempotentRequests: IdempotentRequests,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  /**
   * Under an Idempotency-Key, a request sent again follows the order the key placed (waiting for
   * it if it is still being placed) instead of placing another; a key whose order was rejected
   * places a new one, as that order holds no pet.
   */
  async place(request: OrderRequest, caller: AuthenticatedUser, idempotencyKey?: string): Promise<PlacementOutcome> {
    const allocation: Allocation =
      idempotencyKey === undefined
        ? { allocated: true, order: await this.outbox.transaction((manager) => this.allocate(manager, request, caller)) }
        : await this.allocateOnce(request, caller, idempotencyKey);
    if (!allocation.allocated) return this.follow(allocation.order);
    const requested = allocation.order;
    const placement = this.waiter.expect(requested.id);
    try {
      await this.reservations.reserve(requested);
    } catch (error) {
      placement.cancel();
      return this.reservationFailed(requested, error);
    }
    return this.settle(placement, requested);
  }

  /** A new order for the caller, in the transaction, unless they already have as many awaiting the store's decision as one may. */
  private async allocate(manager: EntityManager, request: OrderRequest, caller: AuthenticatedUser): Promise<OrderRecord> {
    const shipDate = request.shipDate ? new Date(request.shipDate) : null;
    const most = this.config.maxPlacedOrdersPerUser;
    const order = await this.orders.allocate(manager, { petId: request.petId, userId: caller.id, quantity: request.quantity, shipDate }, most);
    if (order === null) {
      throw new ConflictException(
        `${caller.username} already has ${most} orders placed and awaiting the store's approval, the most one user may have; ` +
          'cancel one or wait until the store approves one, then order again. No order was placed and no pet reserved',
      );
    }
    return order;
  }

  /** The key's order unless it was rejected; else a new order, which the key names from then on. */
  private allocateOnce(request: OrderRequest, caller: AuthenticatedUser, key: string): Promise<Allocation> {
    const { petId, quantity, shipDate } = request;
    const keyed: IdempotentRequest = { operation: 'placeOrder', key, userId: caller.id, body: { petId, quantity, shipDate } };
    return this.outbox.transaction(async (manager) => {
      const recorded = await this.idempotentRequests.claim<RecordedPlacement>(manager, keyed);
      if (recorded) {
        const order = await this.orders.findById(recorded.answer.orderId, manager);
        if (order?.state !== OrderState.Rejected) return { allocated: false, order };
      }
      const order = await this.allocate(manager, request, caller);
      await this.idempotentRequests.record(manager, keyed, { orderId: order.id } satisfies RecordedPlacement);
      return { allocated: true, order };
    });
  }

  /** What the order a key placed says now, once it is no longer being placed (waited for as placeOrder waits). */
  private async follow(order: OrderRecord | null): Promise<PlacementOutcome> {
    if (order === null) throw new ConflictException('the order this Idempotency-Key placed no longer exists; send a new key to order again');
    if (order.state === OrderState.Cancelled) {
      throw new ConflictException(`order ${order.id}, placed under this Idempotency-Key, has since been cancelled; send a new key to order again`);
    }
    if (order.state !== OrderState.Requested) return this.outcomeOf(order);
    return this.settle(this.waiter.expect(order.id), order);
  }

  private async settle(placement: ExpectedPlacement, requested: OrderRecord): Promise<PlacementOutcome> {
    const settled = await placement.settle(
      this.config.placementWaitMs,
      () => this.orders.findById(requested.id),
      (order): order is OrderRecord => order !== null && order.state !== OrderState.Requested,
    );
    if (!settled) {
      this.logger.warn(`order ${requested.id} not confirmed within ${this.config.placementWaitMs} ms; answering 202`);
      return { placed: false, order: requested };
    }
    return this.outcomeOf(settled);
  }

  private outcomeOf(order: OrderRecord): PlacementOutcome {
    if (isVisible(order.state)) return { placed: true, order };
    throw new ConflictException(`order ${order.id} could not be placed: ${order.rejectionReason ?? `it is ${order.state}`}`);
  }

  /**
   * The reservation was refused or not confirmed: the request is marked rejected, unless the
   * PET_RESERVED consumer placed it in the meantime (a reservation that answered too late). A
   * PET_RESERVED that arrives after this is rejected by the consumer, which releases the pet.
   */
  private async reservationFailed(requested: OrderRecord, error: unknown): Promise<PlacementOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    if (!(await this.orders.abandon(requested.id, reason))) {
      const current = await this.orders.findById(requested.id);
      if (current && isVisible(current.state)) return { placed: true, order: current };
    }
    if (isUnavailable(error)) {
      throw new HttpException(
        errorBody(
          HttpStatus.SERVICE_UNAVAILABLE,
          `pet-service did not confirm the reservation of pet ${requested.petId} (${reason}); no order was placed, try again`,
        ),
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    throw error;
  }
}
