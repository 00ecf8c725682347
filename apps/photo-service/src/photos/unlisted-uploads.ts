import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import { PetPhotoListing, photoPathOf } from '@petstore/dto';
import { InjectServiceClient, ServiceClient, ServiceErrorException } from '@petstore/platform';
import { FIRST_CHECK_AFTER_START_MS, firstCheckAfterStart, PurgesExpired } from '@petstore/platform/database';
import { PhotosRepository } from './photos.repository';

/**
 * How long after it was stored an upload may go unlisted by its pet before it is checked: far
 * past the longest pet-service can take to list it (its transaction's lock, statement and
 * answer timeouts, about a minute).
 */
export const UNLISTED_UPLOAD_GRACE_SECONDS = 10 * 60;

/** Uploads checked per pass, the oldest first. */
const UPLOADS_PER_PASS = 1000;

/**
 * Uploads no pet lists. pet-service stores an upload here before its own transaction lists the
 * URL, and asks for the copy to be discarded when that fails; a pet-service that crashed in
 * between, or a photo-service away when asked, left the photo stored and served at its URL for
 * good. Each upload older than UNLISTED_UPLOAD_GRACE_SECONDS is checked once against pet-service:
 * listed, it is confirmed and never checked again; not listed, or its pet gone, it is deleted.
 * With pet-service away the pass fails, and the next one checks again.
 */
@Injectable()
export class UnlistedUploads {
  private readonly logger = new Logger(UnlistedUploads.name);

  constructor(
    private readonly photos: PhotosRepository,
    @InjectServiceClient('pet-service') private readonly petService: ServiceClient,
  ) {}

  @Timeout(FIRST_CHECK_AFTER_START_MS)
  checkAfterStart(): Promise<void> {
    return firstCheckAfterStart(UnlistedUploads.name, async () => {
      await this.check();
      return true;
    });
  }

  @PurgesExpired('unlisted uploads')
  async check(): Promise<void> {
    const uploads = await this.photos.unconfirmedUploads(UNLISTED_UPLOAD_GRACE_SECONDS, UPLOADS_PER_PASS);
    for (const [petId, photoIds] of byPet(uploads)) {
      const listedUrls = new Set(await this.photoUrlsOf(petId));
      const listed = photoIds.filter((photoId) => listedUrls.has(photoPathOf(petId, photoId)));
      const unlisted = photoIds.filter((photoId) => !listed.includes(photoId));
      if (listed.length > 0) await this.photos.markListed(listed);
      if (unlisted.length > 0) {
        const removed = await this.photos.deleteUnconfirmed(unlisted);
        this.logger.log(`removed ${removed} upload(s) of pet ${petId} that the pet does not list: ${unlisted.join(', ')}`);
      }
    }
  }

  /** The URLs the pet lists now; none when the pet is gone. */
  private async photoUrlsOf(petId: number): Promise<string[]> {
    try {
      return (await this.petService.json<PetPhotoListing>({ path: `/pets/${petId}/photo-urls` })).photoUrls;
    } catch (error) {
      if (error instanceof ServiceErrorException && error.getStatus() === HttpStatus.NOT_FOUND) return [];
      throw error;
    }
  }
}

function byPet(uploads: { id: number; petId: number }[]): Map<number, number[]> {
  const photoIdsByPet = new Map<number, number[]>();
  for (const { id, petId } of uploads) {
    const photoIds = photoIdsByPet.get(petId);
    if (photoIds) photoIds.push(id);
    else photoIdsByPet.set(petId, [id]);
  }
  return photoIdsByPet;
}
