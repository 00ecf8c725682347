import { Body, Controller, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { Pet, PetReservationRequest } from '@petstore/dto';
import { ParseIdPipe } from '@petstore/platform';
import type { Response } from 'express';
import { ReservationsService } from './reservations.service';

/** Internal API for order-service (not exposed by the gateway). */
@Controller('pets/:petId/reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  /** 201 with the pet when reserved now, 200 when this order already holds it; 409 / 404 otherwise. */
  @Post()
  async reserve(
    @Param('petId', ParseIdPipe) petId: number,
    @Body() request: PetReservationRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Pet> {
    const outcome = await this.reservations.reserve(petId, request);
    response.status(outcome.created ? HttpStatus.CREATED : HttpStatus.OK);
    return outcome.pet;
  }
}
