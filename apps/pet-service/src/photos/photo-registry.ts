import { Inject, Injectable, Logger } from '@nestjs/common';
import { PhotoRegistrationRequest, StoredPhoto } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import { photoServiceConfig, PhotoServiceConfig } from './photos.config';

/** photo-service, called synchronously (within PHOTO_SERVICE_TIMEOUT_MS) while a pet change is uncommitted. */
@Injectable()
export class PhotoRegistry {
  private readonly logger = new Logger(PhotoRegistry.name);

  constructor(
    @InjectServiceClient('photo-service') private readonly client: ServiceClient,
    @Inject(photoServiceConfig.KEY) private readonly config: PhotoServiceConfig,
  ) {}

  /** Registers the external URLs a pet lists; fails with 503 when photo-service cannot, so the change rolls back. */
  async register(petId: number, petVersion: number, urls: string[]): Promise<void> {
    if (urls.length === 0) return;
    const request: PhotoRegistrationRequest = { petVersion, urls };
    await this.client.call({
      method: 'POST',
      path: `/pets/${petId}/photo-registrations`,
      json: request,
      timeoutMs: this.config.callTimeoutMs,
      whenUnavailable: 'the pet was not saved because its photos could not be registered',
    });
  }

  async store(petId: number, petVersion: number, bytes: Buffer, additionalMetadata?: string): Promise<StoredPhoto> {
    return this.client.json<StoredPhoto>({
      method: 'POST',
      path: `/pets/${petId}/photos`,
      query: { petVersion: String(petVersion), additionalMetadata },
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
      timeoutMs: this.config.callTimeoutMs,
      whenUnavailable: 'the photo was not stored',
    });
  }

  /** Best effort: removes a photo whose pet change did not commit. */
  async discard(petId: number, photoId: number): Promise<void> {
    try {
      await this.client.call({ method: 'DELETE', path: `/pets/${petId}/photos/${photoId}`, timeoutMs: this.config.callTimeoutMs });
    } catch (error) {
      this.logger.warn(`photo ${photoId} of pet ${petId} left behind: ${(error as Error).message}`);
    }
  }
}
