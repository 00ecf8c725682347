import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OrderEventType, OrderSnapshot, ReservationDetails, Topics } from '@petstore/contracts';
import { ConsumeOutcome, EventConsumer } from '@petstore/messaging';
import { PetOutbox } from '../pets/pet-outbox';
import { ReservationsService } from './reservations.service';

function reservationOf(order: OrderSnapshot): ReservationDetails {
  return { orderId: order.id, userId: order.userId, quantity: order.quantity, shipDate: order.shipDate ?? null };
}

/** order-events: a cancelled or rejected order frees its pet, an approved one sells it; each event once. */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly reservations: ReservationsService,
    private readonly outbox: PetOutbox,
  ) {}

  @EventPattern(Topics.OrderEvents)
  async handle(@Ctx() context: KafkaContext): Promise<ConsumeOutcome> {
    const outcome = await this.consumer.consume(context, {
      [OrderEventType.OrderCancelled]: (event, manager) =>
        this.reservations.release(manager, event.payload.petId, reservationOf(event.payload), event.correlationId),
      [OrderEventType.OrderRejected]: (event, manager) => {
        const { orderId, userId, quantity, shipDate, petId } = event.payload;
        return this.reservations.release(manager, petId, { orderId, userId, quantity, shipDate: shipDate ?? null }, event.correlationId);
      },
      [OrderEventType.OrderApproved]: (event, manager) =>
        this.reservations.sell(manager, event.payload.petId, event.payload.id, event.correlationId),
    });
    if (outcome === 'applied') this.outbox.publishSoon();
    return outcome;
  }
}
