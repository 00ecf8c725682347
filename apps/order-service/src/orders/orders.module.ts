import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ServiceClientModule } from '@petstore/platform';
import { OrderEventsOutbox } from './order-events.outbox';
import { OrderPlacementService } from './order-placement.service';
import { OrderVersionsController } from './order-versions.controller';
import { ordersConfig } from './orders.config';
import { OrdersController } from './orders.controller';
import { OrdersOfDeletedUsers } from './orders-of-deleted-users';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { PetEventsController } from './pet-events.controller';
import { PetReservationsClient } from './pet-reservations.client';
import { PetReservedHandler } from './pet-reserved.handler';
import { PlacementDeadline } from './placement-deadline';
import { PlacementWaiter } from './placement-waiter';
import { UserDirectory } from './user-directory';

@Module({
  imports: [ConfigModule.forFeature(ordersConfig), ServiceClientModule.register('pet-service', 'user-service')],
  controllers: [OrdersController, OrderVersionsController, PetEventsController],
  providers: [
    OrderEventsOutbox,
    OrderPlacementService,
    OrdersRepository,
    OrdersService,
    OrdersOfDeletedUsers,
    PetReservationsClient,
    PetReservedHandler,
    PlacementWaiter,
    PlacementDeadline,
    UserDirectory,
  ],
})
export class OrdersModule {}
