import { ConflictException, HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { AuthenticatedUser, Order } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
import { DataSource } from 'typeorm';
import { OrderRecord } from './order-record.entity';
import { isVisible, OrderState } from './order-state';
import { ordersConfig, OrdersConfig } from './orders.config';
import { isUnavailable, PetReservationsClient } from './pet-reservations.client';
import { PlacementWaiter } from './placement-waiter';

/** What placeOrder takes from the client's Order; the rest is the store's to set. */
export type OrderRequest = Pick<Order, 'petId' | 'quantity' | 'shipDate'>;

export type PlacementOutcome =
  /** The order exists: PET_RESERVED was consumed within the wait. */
  | { placed: true; order: OrderRecord }
  /** The pet is reserved but the order was not confirmed within the wait; it will be. */
  | { placed: false; order: OrderRecord };

/** An id refused before it was allocated continues from the refusal's version (see ReservationRefusals). */
const ALLOCATE_SQL = `
  WITH allocated AS (SELECT nextval('order_id_seq') AS id)
  INSERT INTO orders (id, pet_id, user_id, quantity, ship_date, state, version)
  SELECT id, $1, $2, $3, $4, '${OrderState.Requested}',
         COALESCE((SELECT version FROM reservation_refusal WHERE order_id = allocated.id), 0)
  FROM allocated
  RETURNING id, version`;

const ABANDON_SQL = `
  UPDATE orders SET state = '${OrderState.Rejected}', rejection_reason = $2, updated_at = now()
  WHERE id = $1 AND state = '${OrderState.Requested}'`;


/**
 * placeOrder, as the design's "Place order" flow: allocate the order id, have pet-service
 * reserve the pet, and answer once the PET_RESERVED consumer has created the placed order.
 */
@Injectable()
export class OrderPlacementService {
  private readonly logger = new Logger(OrderPlacementService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reservations: PetReservationsClient,
    private readonly waiter: PlacementWaiter,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  async place(request: OrderRequest, caller: AuthenticatedUser): Promise<PlacementOutcome> {
    const requested = await this.allocate(request, caller.id);
    try {
      await this.reservations.reserve(requested);
    } catch (error) {
      return this.reservationFailed(requested, error);
    }
    const settled = await this.waiter.waitFor(
      requested.id,
      this.config.placementWaitMs,
      () => this.dataSource.getRepository(OrderRecord).findOneBy({ id: requested.id }),
      (order): order is OrderRecord => order !== null && order.state !== OrderState.Requested,
    );
    if (!settled) {
      this.logger.warn(`order ${requested.id} not confirmed within ${this.config.placementWaitMs} ms; answering 202`);
      return { placed: false, order: requested };
    }
    if (isVisible(settled.state)) return { placed: true, order: settled };
    throw new ConflictException(
      `order ${settled.id} could not be placed: ${settled.rejectionReason ?? `it is ${settled.state}`}`,
    );
  }

  private async allocate(request: OrderRequest, userId: number): Promise<OrderRecord> {
    const shipDate = request.shipDate ? new Date(request.shipDate) : null;
    const [allocated]: { id: string; version: number }[] = await this.dataSource.query(ALLOCATE_SQL, [
      request.petId,
      userId,
      request.quantity,
      shipDate,
    ]);
    return Object.assign(new OrderRecord(), {
      id: Number(allocated.id),
      petId: request.petId,
      userId,
      quantity: request.quantity,
      shipDate,
      state: OrderState.Requested,
      version: allocated.version,
      rejectionReason: null,
    });
  }

  /**
   * The reservation was refused or not confirmed: the request is marked rejected, unless the
   * PET_RESERVED consumer placed it in the meantime (a reservation that answered too late). A
   * PET_RESERVED that arrives after this is rejected by the consumer, which releases the pet.
   */
  private async reservationFailed(requested: OrderRecord, error: unknown): Promise<PlacementOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    // TypeORM answers an UPDATE with [rows, affected]; no row affected: the request is no longer requested.
    const [, abandoned]: [unknown, number] = await this.dataSource.query(ABANDON_SQL, [requested.id, reason]);
    if (abandoned === 0) {
      const current = await this.dataSource.getRepository(OrderRecord).findOneBy({ id: requested.id });
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
