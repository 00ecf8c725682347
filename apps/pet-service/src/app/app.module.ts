import { Module } from '@nestjs/common';
import { KafkaHealthProbe, kafkaEnvironment, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@petstore/messaging';
import {
  databaseEnvironment,
  DatabaseHealthProbe,
  DatabaseModule,
  dependencyEnvironment,
  HealthModule,
  ServiceClientModule,
  ServiceConfigModule,
} from '@petstore/platform';
import { PET_ENTITIES } from '../pets/entities';
import { PetsModule } from '../pets/pets.module';
import { photosEnvironment } from '../photos/photos.config';
import { ReservationsModule } from '../reservations/reservations.module';
import { CreatePets1764200000000 } from './migrations/1764200000000-create-pets';
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment('photo-service'), photosEnvironment],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES, ...PET_ENTITIES],
      migrations: [...MESSAGING_MIGRATIONS, CreatePets1764200000000],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: true }),
    ServiceClientModule.register('photo-service'),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
    PetsModule,
    ReservationsModule,
  ],
})
export class AppModule {}
