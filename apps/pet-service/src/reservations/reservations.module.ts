import { Module } from '@nestjs/common';
import { PetsModule } from '../pets/pets.module';
import { OrderEventsController } from './order-events.controller';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';

@Module({
  imports: [PetsModule],
  controllers: [ReservationsController, OrderEventsController],
  providers: [ReservationsService],
})
export class ReservationsModule {}
