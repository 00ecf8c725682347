import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { OrderEventType, OrderSnapshot, ReservationDetails, Topics } from '@petstore/contracts';
import { ConsumeOutcome, EventConsumer } from '@petstore/messaging';
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
  ) {}

  @EventPattern(Topics.OrderEvents)
  handle(@Ctx() context: KafkaContext): Promise<ConsumeOutcome> {
    return this.consumer.consume(context, {
      [OrderEventType.OrderCancelled]: (event, manager) =>
        this.reservations.release(manager, event.payload.petId, reservationOf(event.payload)),
      [OrderEventType.OrderRejected]: (event, manager) => {
        const { orderId, userId, quantity, shipDate, petId } = event.payload;
        return this.reservations.release(manager, petId, { orderId, userId, quantity, shipDate: shipDate ?? null });
      },
      [OrderEventType.OrderApproved]: (event, manager) =>
        this.reservations.sell(manager, event.payload.petId, event.payload.id),
    });
  }
}
