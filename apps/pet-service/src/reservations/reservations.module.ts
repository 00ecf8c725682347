import { Module } from '@nestjs/common';
import { ServiceClientModule } from '@petstore/platform';
import { PetsModule } from '../pets/pets.module';
import { OrderEventsController } from './order-events.controller';
import { PendingPetsCheck } from './pending-pets-check';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';

@Module({
  imports: [PetsModule, ServiceClientModule.register('order-service')],
  controllers: [ReservationsController, OrderEventsController],
  providers: [ReservationsService, PendingPetsCheck],
})
export class ReservationsModule {}
