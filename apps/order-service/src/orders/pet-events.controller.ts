import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { PetEventType, Topics } from '@petstore/contracts';
import { EventConsumer } from '@petstore/messaging';
import { OrderRecord } from './order-record';
import { PetReservedHandler } from './pet-reserved.handler';
import { PlacementWaiter } from './placement-waiter';

/** order-service's one consumer of pet-events: only PET_RESERVED concerns it. */
@Controller()
export class PetEventsController {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly petReserved: PetReservedHandler,
    private readonly waiter: PlacementWaiter,
  ) {}

  @EventPattern(Topics.PetEvents)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    let touched: OrderRecord | null = null;
    const outcome = await this.consumer.consume(context, {
      [PetEventType.PetReserved]: async (event, manager) => {
        touched = await this.petReserved.handle(event, manager);
      },
    });
    // Committed: a placeOrder waiting for this order can answer from it without reading it again.
    if (outcome === 'applied' && touched) this.waiter.signal(touched);
  }
}
