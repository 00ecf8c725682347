import { Injectable } from '@nestjs/common';
import {
  OrderEventType,
  OrderStatus,
  ReservationDetails,
  Topics,
} from '@petstore/contracts';
import { OutboxService } from '@petstore/messaging';
import { EntityManager } from 'typeorm';
import { OrderRecord } from './order-record.entity';
import { OrderChangeEventType } from './order-state';
import { toSnapshot } from './order-views';

/**
 * Writes order-events into the outbox of the caller's transaction. Every event is keyed by the
 * pet id (so it shares the pet's partition) and carries the order row's new version.
 */
@Injectable()
export class OrderEventsOutbox {
  constructor(private readonly outbox: OutboxService) {}

  async recordChange(
    manager: EntityManager,
    order: OrderRecord,
    type: OrderChangeEventType,
    statusBefore?: OrderStatus,
  ): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.OrderEvents,
      key: order.petId,
      type,
      aggregateId: order.id,
      aggregateVersion: order.version,
      payload: toSnapshot(order, statusBefore),
    });
  }

  /** ORDER_REJECTED for a reservation of `petId` under this order id: pet-service releases that pet. */
  async recordRejection(
    manager: EntityManager,
    order: OrderRecord,
    petId: number,
    reservation: ReservationDetails,
    reason: string,
  ): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.OrderEvents,
      key: petId,
      type: OrderEventType.OrderRejected,
      aggregateId: order.id,
      aggregateVersion: order.version,
      payload: {
        orderId: reservation.orderId,
        petId,
        userId: reservation.userId,
        quantity: reservation.quantity,
        shipDate: reservation.shipDate ?? null,
        reason,
      },
    });
  }
}
