import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, PetEventType, Reservation } from '@petstore/contracts';
import { EntityManager } from 'typeorm';
import { OrderEventsOutbox } from './order-events.outbox';
import { OrderRecord } from './order-record';
import { EVENT_OF_ACTION, nextState, OrderState } from './order-state';
import { OrdersRepository } from './orders.repository';

/**
 * Why a PET_RESERVED cannot become (or confirm) the order it names, or undefined when it can.
 * A reservation is accepted only for an order id this service allocated, for the same pet,
 * user and quantity it asked pet-service to reserve, while that order is still live.
 */
export function rejectionReason(order: OrderRecord | null, reservation: Reservation): string | undefined {
  const { orderId: id, petId } = reservation;
  if (!order) return `order ${id} was never requested from order-service`;
  if (order.petId !== petId) return `order ${id} is for pet ${order.petId}, not pet ${petId}`;
  if (order.userId !== reservation.userId) return `order ${id} was requested by another user`;
  if (order.quantity !== reservation.quantity) {
    return `order ${id} is for quantity ${order.quantity}, not ${reservation.quantity}`;
  }
  if (order.state === OrderState.Cancelled) return `order ${id} is cancelled`;
  if (order.state === OrderState.Rejected) return `order ${id} was rejected: ${order.rejectionReason}`;
  return undefined;
}

/**
 * PET_RESERVED → the `placed` order and ORDER_PLACED, in the inbox's transaction. A reservation
 * that cannot become an order is answered with ORDER_REJECTED, so pet-service releases the
 * pet: no pet stays pending without an order.
 */
@Injectable()
export class PetReservedHandler {
  private readonly logger = new Logger(PetReservedHandler.name);

  constructor(
    private readonly events: OrderEventsOutbox,
    private readonly orders: OrdersRepository,
  ) {}

  /** Applies the event and returns the order it concerns as it now is, or null when there is no such order. */
  async handle(event: EventEnvelope<PetEventType.PetReserved>, manager: EntityManager): Promise<OrderRecord | null> {
    const { reservation } = event.payload;
    const locked = await this.orders.lockWithPetHolder(manager, reservation.orderId);
    const order = locked?.order ?? null;
    const reason = rejectionReason(order, reservation);
    if (reason !== undefined) {
      await this.reject(manager, order, reservation, reason);
    } else if (locked && order?.state === OrderState.Requested) {
      await this.place(manager, order, reservation, locked.petHolderId);
    }
    return order;
  }

  private async place(manager: EntityManager, order: OrderRecord, reservation: Reservation, petHolderId: number | null): Promise<void> {
    if (petHolderId !== null) {
      await this.reject(manager, order, reservation, `pet ${order.petId} is already held by order ${petHolderId}`);
      return;
    }
    order.state = nextState(order.state, 'place');
    order.version += 1;
    await this.orders.update(manager, order);
    await this.events.recordChange(manager, order, EVENT_OF_ACTION.place);
  }

  private async reject(manager: EntityManager, order: OrderRecord | null, reservation: Reservation, reason: string): Promise<void> {
    this.logger.warn(`rejecting the reservation of pet ${reservation.petId} for order ${reservation.orderId}: ${reason}`);
    let version: number;
    if (order) {
      const ownRequest = order.petId === reservation.petId && order.state === OrderState.Requested;
      if (ownRequest) {
        order.state = nextState(order.state, 'reject');
        order.rejectionReason = reason;
      }
      order.version += 1;
      await this.orders.update(manager, order);
      version = order.version;
    } else {
      version = await this.orders.recordRefusal(manager, reservation, reason);
    }
    await this.events.recordRejection(manager, reservation, version, reason);
  }
}
