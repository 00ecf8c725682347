import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { parsePhotoPath, photoPathOf, StoredPhoto } from '@petstore/dto';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RegisterPhotosDto } from './dto/register-photos.dto';
import { UploadPhotoQuery } from './dto/upload-photo.query';
import { etagOf } from './etag';
import { sniffImageType } from './image-type';
import { UploadedPhoto } from './photo-record';
import { PhotosRepository } from './photos.repository';

@Injectable()
export class PhotosService {
  private readonly logger = new Logger(PhotosService.name);

  constructor(private readonly photos: PhotosRepository) {}

  /** Records the external URLs a pet lists; URLs of this pet's own uploads are already known. */
  async register(petId: number, request: RegisterPhotosDto): Promise<{ registered: number }> {
    const urls = [...new Set(request.urls)].filter((url) => parsePhotoPath(url)?.petId !== petId);
    if (urls.length > 0) await this.photos.registerExternal(petId, request.petVersion, urls);
    return { registered: urls.length };
  }

  async upload(petId: number, bytes: Buffer, query: UploadPhotoQuery): Promise<StoredPhoto> {
    const contentType = await sniffImageType(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = await this.photos.insertUpload({
      petId,
      petVersion: query.petVersion,
      contentType,
      sizeBytes: bytes.length,
      sha256,
      additionalMetadata: query.additionalMetadata ?? null,
      data: bytes,
    });
    this.logger.log(`stored photo ${id} of pet ${petId} (${contentType}, ${bytes.length} bytes)`);
    return { id, petId, url: photoPathOf(petId, id), contentType, size: bytes.length, etag: etagOf(sha256) };
  }

  async findUploaded(petId: number, photoId: number): Promise<UploadedPhoto> {
    const photo = await this.photos.findUploaded(petId, photoId);
    if (!photo) throw new NotFoundException(`photo ${photoId} of pet ${petId} not found`);
    return photo;
  }

  async bytesOf(photo: UploadedPhoto): Promise<Buffer> {
    const data = await this.photos.bytesOf(photo.id);
    if (!data) throw new NotFoundException(`photo ${photo.id} of pet ${photo.petId} not found`);
    return data;
  }

  async remove(petId: number, photoId: number): Promise<void> {
    if (!(await this.photos.delete(petId, photoId))) throw new NotFoundException(`photo ${photoId} of pet ${petId} not found`);
  }

  /**
   * PET_UPDATED: the pet's confirmed uploads its photoUrls leave out (an updatePet dropped them)
   * are checked again, in the consumer's transaction. pet-service's answer to the check decides,
   * not the event: an event older than the listing of an upload only makes it checked once more.
   */
  async checkAgainUnlessListed(manager: EntityManager, petId: number, photoUrls: string[]): Promise<void> {
    const listed = photoUrls.flatMap((url) => {
      const path = parsePhotoPath(url);
      return path?.petId === petId ? [path.photoId] : [];
    });
    await this.photos.unconfirmUploadsBut(manager, petId, listed);
  }

  /** PET_DELETED: drops every photo registered before the deletion, in the consumer's transaction. */
  async removePetPhotos(manager: EntityManager, petId: number, deletedAtVersion: number): Promise<number> {
    const removed = await this.photos.deleteRegisteredBefore(manager, petId, deletedAtVersion);
    this.logger.log(`pet ${petId} deleted (version ${deletedAtVersion}): removed ${removed} photo(s)`);
    return removed;
  }
}
