import { Controller, Get, Query } from '@nestjs/common';
import { PetVersion, VersionsPageQuery } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { PetsService } from './pets.service';

/**
 * Internal API for the services that keep state built from pet-events: every pet's version, so
 * they can catch up on events they never received (inventory-service's counts, photo-service's
 * removal of a deleted pet's photos).
 */
@ServiceOnly('inventory-service', 'photo-service')
@Controller('pets')
export class PetVersionsController {
  constructor(private readonly pets: PetsService) {}

  @Get('versions')
  versions(@Query() page: VersionsPageQuery): Promise<PetVersion[]> {
    return this.pets.versions(page);
  }
}
