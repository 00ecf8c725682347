import { Injectable } from '@nestjs/common';
import { OrderEventType, OrderStatus, Reservation, Topics } from '@petstore/contracts';
import { OutboxService } from '@petstore/messaging';
import { EntityManager } from 'typeorm';
import { OrderRecord } from './order-record';
import { OrderChangeEventType } from './order-state';
import { toSnapshot } from './order-views';

/**
 * Writes order-events into the outbox of the caller's transaction. Every event is keyed by the
 * pet id (so it shares the pet's partition) and carries the order row's new version.
 */
@Injectable()
export class OrderEventsOutbox {
  constructor(private readonly outbox: OutboxService) {}

  async recordChange(manager: EntityManager, order: OrderRecord, type: OrderChangeEventType, statusBefore?: OrderStatus): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.OrderEvents,
      key: order.petId,
      type,
      aggregateId: order.id,
      aggregateVersion: order.version,
      payload: toSnapshot(order, statusBefore),
    });
  }

  /** ORDER_REJECTED: the reservation could not become an order, so pet-service releases the pet. */
  async recordRejection(manager: EntityManager, reservation: Reservation, version: number, reason: string): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.OrderEvents,
      key: reservation.petId,
      type: OrderEventType.OrderRejected,
      aggregateId: reservation.orderId,
      aggregateVersion: version,
      payload: { reservation, reason },
    });
  }
}
