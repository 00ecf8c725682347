import { Controller, Get, Query } from '@nestjs/common';
import { PetVersion, PetVersionsQuery } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { PetsService } from './pets.service';

/** Internal API for inventory-service alone: every pet's version, so its read model can catch up on events it never received. */
@ServiceOnly('inventory-service')
@Controller('pets')
export class PetVersionsController {
  constructor(private readonly pets: PetsService) {}

  @Get('versions')
  versions(@Query() page: PetVersionsQuery): Promise<PetVersion[]> {
    return this.pets.versions(page);
  }
}
