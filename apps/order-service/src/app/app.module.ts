import { Module } from '@nestjs/common';
import { eventMessaging } from '@petstore/messaging';
import { idempotentRequests, serviceInfrastructure } from '@petstore/platform/database';
import { ordersConfig } from '../orders/orders.config';
import { OrdersModule } from '../orders/orders.module';
import { CreateOrders1764200000000 } from './migrations/1764200000000-create-orders';
import { CreateReservationRefusals1764300000000 } from './migrations/1764300000000-create-reservation-refusals';
import { IndexOrdersAwaitingDecision1765400000000 } from './migrations/1765400000000-index-orders-awaiting-decision';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      environment: [ordersConfig.environment],
      migrations: [CreateOrders1764200000000, CreateReservationRefusals1764300000000, IndexOrdersAwaitingDecision1765400000000],
      features: [eventMessaging({ service: SERVICE, publishesEvents: true }), idempotentRequests()],
    }),
    OrdersModule,
  ],
})
export class AppModule {}
