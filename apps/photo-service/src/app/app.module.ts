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
import { Photo } from '../photos/photo.entity';
import { photosEnvironment } from '../photos/photos.config';
import { PhotosModule } from '../photos/photos.module';
import { CreatePhotos1764200000000 } from './migrations/1764200000000-create-photos';
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment(), photosEnvironment],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES, Photo],
      migrations: [...MESSAGING_MIGRATIONS, CreatePhotos1764200000000],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: false }),
    ServiceClientModule.register(),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
    PhotosModule,
  ],
})
export class AppModule {}
