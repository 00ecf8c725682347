import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { PetEventType, Topics } from '@petstore/contracts';
import { ConsumedBatch, EventConsumer } from '@petstore/messaging';
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
  handle(@Ctx() batch: ConsumedBatch): Promise<void> {
    return this.consumer.consume(batch, {
      [PetEventType.PetReserved]: async (event, manager) => {
        const touched = await this.petReserved.handle(event, manager);
        // Once committed, a placeOrder waiting for this order answers from it without reading it again.
        if (touched) return () => this.waiter.signal(touched);
      },
    });
  }
}
