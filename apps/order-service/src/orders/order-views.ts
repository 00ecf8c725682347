import { OrderSnapshot, OrderStatus, Reservation } from '@petstore/contracts';
import type { Order, PendingOrder } from '@petstore/dto';
import { OrderRecord } from './order-record';
import { OrderState, visibleStatusOf } from './order-state';

/** Petstore's OrderRecord for a placed, approved or delivered order. */
export function toOrderView(order: OrderRecord): Order {
  return {
    id: order.id,
    petId: order.petId,
    quantity: order.quantity,
    ...(order.shipDate ? { shipDate: order.shipDate.toISOString() } : {}),
    status: visibleStatusOf(order.state) ?? OrderStatus.Placed,
    complete: order.state === OrderState.Delivered,
  };
}

export function toPendingView(order: OrderRecord): PendingOrder {
  return {
    id: order.id,
    petId: order.petId,
    quantity: order.quantity,
    ...(order.shipDate ? { shipDate: order.shipDate.toISOString() } : {}),
    complete: false,
    message: `the pet is reserved; order ${order.id} is being confirmed, fetch it shortly`,
  };
}

/**
 * The full order in an event. A cancelled order keeps the status it had when it was cancelled
 * (placed): the event type says what happened.
 */
export function toSnapshot(order: OrderRecord, statusBefore?: OrderStatus): OrderSnapshot {
  return {
    id: order.id,
    petId: order.petId,
    userId: order.userId,
    quantity: order.quantity,
    shipDate: order.shipDate ? order.shipDate.toISOString() : null,
    status: visibleStatusOf(order.state) ?? statusBefore ?? OrderStatus.Placed,
    complete: order.state === OrderState.Delivered,
  };
}

/** The hold on its pet this order asks pet-service for. */
export function reservationOf(order: OrderRecord): Reservation {
  return {
    orderId: order.id,
    petId: order.petId,
    userId: order.userId,
    quantity: order.quantity,
    ...(order.shipDate ? { shipDate: order.shipDate.toISOString() } : {}),
  };
}
