import { Controller, Get, Param } from '@nestjs/common';
import { PetPhotoListing } from '@petstore/dto';
import { ParseIdPipe, ServiceOnly } from '@petstore/platform';
import { PetsService } from '../pets/pets.service';

/** Internal API for photo-service alone: which photos a pet lists now, so it can drop uploads no pet lists. */
@ServiceOnly('photo-service')
@Controller('pets')
export class PhotoListingsController {
  constructor(private readonly pets: PetsService) {}

  /** 404 when there is no such pet. */
  @Get(':petId/photo-urls')
  async photoUrls(@Param('petId', ParseIdPipe) petId: number): Promise<PetPhotoListing> {
    return { photoUrls: (await this.pets.get(petId)).resource.photoUrls };
  }
}
