import { Injectable, Logger } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import { PetVersion } from '@petstore/dto';
import { countReadModelCheck, InjectServiceClient, ReadModel, readModelCheckConfig, ServiceClient, versionPages } from '@petstore/platform';
import { FIRST_CHECK_AFTER_START_MS, firstCheckAfterStart, PurgesExpired } from '@petstore/platform/database';
import { PhotosRepository } from './photos.repository';

/**
 * A deleted pet's photos go on its PET_DELETED. An event photo-service never applies (expired
 * while it was away longer than pet-events' retention, or parked and never replayed) left them
 * stored, and served at their URLs, for good. Every pass reads pet-service's deleted pets, each
 * at the version it was deleted at, and deletes the photos registered before it (a pet created
 * again under the id keeps the ones registered since), once the deletion is
 * READ_MODEL_CHECK_SETTLE_SECONDS old (before that its event may be on its way). With
 * pet-service away the pass fails, and the next one checks again. Each pass counts how it ended
 * and the photos it removed (countReadModelCheck).
 */
@Injectable()
export class DeletedPetPhotos {
  private readonly logger = new Logger(DeletedPetPhotos.name);
  private readonly settledSeconds = readModelCheckConfig.read().settledSeconds;

  constructor(
    private readonly photos: PhotosRepository,
    @InjectServiceClient('pet-service') private readonly petService: ServiceClient,
  ) {}

  @Timeout(FIRST_CHECK_AFTER_START_MS)
  purgeAfterStart(): Promise<void> {
    return firstCheckAfterStart(DeletedPetPhotos.name, async () => {
      await this.purge();
      return true;
    });
  }

  @PurgesExpired('photos of deleted pets')
  async purge(): Promise<void> {
    let removed = 0;
    try {
      for await (const page of versionPages<PetVersion>(this.petService, '/pets/versions', this.settledSeconds)) {
        const deletions = page.filter((pet) => pet.deleted).map((pet) => ({ petId: pet.id, version: pet.version }));
        if (deletions.length > 0) removed += await this.photos.deleteRegisteredBeforeDeletions(deletions);
      }
    } catch (error) {
      countReadModelCheck(ReadModel.PhotosOfDeletedPets, 'failed', removed);
      throw error;
    }
    countReadModelCheck(ReadModel.PhotosOfDeletedPets, 'completed', removed);
    if (removed > 0) this.logger.log(`removed ${removed} photo(s) of pets deleted without their PET_DELETED applied here`);
  }
}
