import { ConflictException, HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { AuthenticatedUser, Order } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
import { OrderRecord } from './order-record';
import { isVisible, OrderState } from './order-state';
import { ordersConfig, OrdersConfig } from './orders.config';
import { OrdersRepository } from './orders.repository';
import { isUnavailable, PetReservationsClient } from './pet-reservations.client';
import { PlacementWaiter } from './placement-waiter';

/** What placeOrder takes from the client's Order; the rest is the store's to set. */
export type OrderRequest = Pick<Order, 'petId' | 'quantity' | 'shipDate'>;

export type PlacementOutcome =
  /** The order exists: PET_RESERVED was consumed within the wait. */
  | { placed: true; order: OrderRecord }
  /** The pet is reserved but the order was not confirmed within the wait; it will be. */
  | { placed: false; order: OrderRecord };

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
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  async place(request: OrderRequest, caller: AuthenticatedUser): Promise<PlacementOutcome> {
    const requested = await this.allocate(request, caller.id);
    const placement = this.waiter.expect(requested.id);
    try {
      await this.reservations.reserve(requested);
    } catch (error) {
      placement.cancel();
      return this.reservationFailed(requested, error);
    }
    const settled = await placement.settle(
      this.config.placementWaitMs,
      () => this.orders.findById(requested.id),
      (order): order is OrderRecord => order !== null && order.state !== OrderState.Requested,
    );
    if (!settled) {
      this.logger.warn(`order ${requested.id} not confirmed within ${this.config.placementWaitMs} ms; answering 202`);
      return { placed: false, order: requested };
    }
    if (isVisible(settled.state)) return { placed: true, order: settled };
    throw new ConflictException(`order ${settled.id} could not be placed: ${settled.rejectionReason ?? `it is ${settled.state}`}`);
  }

  private allocate(request: OrderRequest, userId: number): Promise<OrderRecord> {
    const shipDate = request.shipDate ? new Date(request.shipDate) : null;
    return this.orders.allocate({ petId: request.petId, userId, quantity: request.quantity, shipDate });
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
