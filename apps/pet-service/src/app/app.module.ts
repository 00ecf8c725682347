import { Module } from '@nestjs/common';
import { eventMessaging } from '@petstore/messaging';
import { photoUploadConfig } from '@petstore/platform';
import { serviceInfrastructure } from '@petstore/platform/database';
import { PetsModule } from '../pets/pets.module';
import { photoServiceConfig } from '../photos/photos.config';
import { ReservationsModule } from '../reservations/reservations.module';
import { CreatePets1764200000000 } from './migrations/1764200000000-create-pets';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      environment: [photoUploadConfig.environment, photoServiceConfig.environment],
      migrations: [CreatePets1764200000000],
      features: [eventMessaging({ service: SERVICE, publishesEvents: true })],
    }),
    PetsModule,
    ReservationsModule,
  ],
})
export class AppModule {}
