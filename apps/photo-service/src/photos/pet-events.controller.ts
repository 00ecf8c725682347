import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { PetEventType, Topics } from '@petstore/contracts';
import { ConsumedBatch, EventConsumer } from '@petstore/messaging';
import { PhotosService } from './photos.service';

/**
 * pet-events: a deleted pet's photos go, once per PET_DELETED however often it is delivered; an
 * upload a changed pet no longer lists is checked again (see UnlistedUploads).
 */
@Controller()
export class PetEventsController {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly photos: PhotosService,
  ) {}

  @EventPattern(Topics.PetEvents)
  handle(@Ctx() batch: ConsumedBatch): Promise<void> {
    return this.consumer.consume(batch, {
      [PetEventType.PetUpdated]: async (event, manager) => {
        await this.photos.checkAgainUnlessListed(manager, Number(event.aggregateId), event.payload.photoUrls);
      },
      [PetEventType.PetDeleted]: async (event, manager) => {
        await this.photos.removePetPhotos(manager, Number(event.aggregateId), event.aggregateVersion);
      },
    });
  }
}
