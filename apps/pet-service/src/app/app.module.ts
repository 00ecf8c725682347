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
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment('photo-service')],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES],
      migrations: [...MESSAGING_MIGRATIONS],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: true }),
    ServiceClientModule.register('photo-service'),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
  ],
})
export class AppModule {}
