import { Module } from '@nestjs/common';
import { eventMessaging } from '@petstore/messaging';
import { photoUploadConfig } from '@petstore/platform';
import { idempotentRequests, serviceInfrastructure } from '@petstore/platform/database';
import { PetsModule } from '../pets/pets.module';
import { photoServiceConfig } from '../photos/photos.config';
import { ReservationsModule } from '../reservations/reservations.module';
import { CreatePets1764200000000 } from './migrations/1764200000000-create-pets';
import { IndexPetsByStatusAndId1764500000000 } from './migrations/1764500000000-index-pets-by-status-and-id';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      environment: [photoUploadConfig.environment, photoServiceConfig.environment],
      migrations: [CreatePets1764200000000, IndexPetsByStatusAndId1764500000000],
      features: [eventMessaging({ service: SERVICE, publishesEvents: true }), idempotentRequests()],
    }),
    PetsModule,
    ReservationsModule,
  ],
})
export class AppModule {}
