import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { OrderEventType, OrderSnapshot, Reservation, Topics } from '@petstore/contracts';
import { ConsumedBatch, EventConsumer } from '@petstore/messaging';
import { ReservationsService } from './reservations.service';

/** The hold a cancelled order had on its pet. */
function reservationOf(order: OrderSnapshot): Reservation {
  const { id: orderId, petId, userId, quantity, shipDate } = order;
  return { orderId, petId, userId, quantity, shipDate };
}

/** order-events: a cancelled or rejected order frees its pet, an approved one sells it; each event once. */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly reservations: ReservationsService,
  ) {}

  @EventPattern(Topics.OrderEvents)
  handle(@Ctx() batch: ConsumedBatch): Promise<void> {
    return this.consumer.consume(batch, {
      [OrderEventType.OrderCancelled]: async (event, manager) => {
        await this.reservations.release(manager, reservationOf(event.payload));
      },
      [OrderEventType.OrderRejected]: async (event, manager) => {
        await this.reservations.release(manager, event.payload.reservation);
      },
      [OrderEventType.OrderApproved]: async (event, manager) => {
        await this.reservations.sell(manager, event.payload.petId, event.payload.id);
      },
    });
  }
}
