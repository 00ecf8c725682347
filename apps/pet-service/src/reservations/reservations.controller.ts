import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { Reservation } from '@petstore/contracts';
import { Pet } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { ReservationsService } from './reservations.service';

/** Internal API for order-service alone (not exposed by the gateway). */
@ServiceOnly('order-service')
@Controller('reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  /** 201 with the pet when reserved now, 200 when this order already holds it; 409 / 404 otherwise. */
  @Post()
  async reserve(@Body() reservation: Reservation, @Res({ passthrough: true }) response: FastifyReply): Promise<Pet> {
    const outcome = await this.reservations.reserve(reservation);
    response.status(outcome.created ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.pet;
  }
}
