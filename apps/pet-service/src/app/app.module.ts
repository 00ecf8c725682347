import { Module } from '@nestjs/common';
import { serviceInfrastructure } from '@petstore/messaging';
import { PET_ENTITIES } from '../pets/entities';
import { PetsModule } from '../pets/pets.module';
import { photosEnvironment } from '../photos/photos.config';
import { ReservationsModule } from '../reservations/reservations.module';
import { CreatePets1764200000000 } from './migrations/1764200000000-create-pets';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      publishesEvents: true,
      dependencies: ['photo-service'],
      environment: [photosEnvironment],
      entities: PET_ENTITIES,
      migrations: [CreatePets1764200000000],
    }),
    PetsModule,
    ReservationsModule,
  ],
})
export class AppModule {}
