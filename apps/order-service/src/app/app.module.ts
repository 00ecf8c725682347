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
import { OrderRecord } from '../orders/order-record.entity';
import { ordersEnvironment } from '../orders/orders.config';
import { OrdersModule } from '../orders/orders.module';
import { CreateOrders1764200000000 } from './migrations/1764200000000-create-orders';
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment('pet-service'), ordersEnvironment],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES, OrderRecord],
      migrations: [...MESSAGING_MIGRATIONS, CreateOrders1764200000000],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: true }),
    ServiceClientModule.register('pet-service'),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
    OrdersModule,
  ],
})
export class AppModule {}
