import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { parsePhotoPath, photoPathOf, StoredPhoto } from '@petstore/dto';
import { createHash } from 'node:crypto';
import { EntityManager, LessThan, Repository } from 'typeorm';
import { RegisterPhotosDto } from './dto/register-photos.dto';
import { UploadPhotoQuery } from './dto/upload-photo.query';
import { etagOf } from './etag';
import { sniffImageType } from './image-type';
import { Photo } from './photo.entity';

/**
 * Registering a URL the pet already lists keeps one row; its version moves up so that a late
 * PET_DELETED of an earlier pet with the same id does not remove it.
 */
const REGISTER_EXTERNAL_SQL = `
  INSERT INTO photo (pet_id, pet_version, source, url)
  SELECT $1, $2, 'external', url FROM unnest($3::varchar[]) AS url
  ON CONFLICT (pet_id, url) WHERE source = 'external'
  DO UPDATE SET pet_version = GREATEST(photo.pet_version, EXCLUDED.pet_version)`;

/** An uploaded photo's metadata, without its bytes. */
export type UploadedPhoto = Pick<Photo, 'id' | 'petId' | 'contentType' | 'sizeBytes' | 'sha256'>;

@Injectable()
export class PhotosService {
  private readonly logger = new Logger(PhotosService.name);

  constructor(@InjectRepository(Photo) private readonly photos: Repository<Photo>) {}

  /** Records the external URLs a pet lists; URLs of this pet's own uploads are already known. */
  async register(petId: number, request: RegisterPhotosDto): Promise<{ registered: number }> {
    const urls = [...new Set(request.urls)].filter((url) => parsePhotoPath(url)?.petId !== petId);
    if (urls.length > 0) await this.photos.query(REGISTER_EXTERNAL_SQL, [petId, request.petVersion, urls]);
    return { registered: urls.length };
  }

  async upload(petId: number, bytes: Buffer, query: UploadPhotoQuery): Promise<StoredPhoto> {
    const contentType = await sniffImageType(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const inserted = await this.photos.insert({
      petId,
      petVersion: query.petVersion,
      source: 'upload',
      contentType,
      sizeBytes: bytes.length,
      sha256,
      additionalMetadata: query.additionalMetadata ?? null,
      data: bytes,
    });
    const id = Number(inserted.identifiers[0]['id']);
    this.logger.log(`stored photo ${id} of pet ${petId} (${contentType}, ${bytes.length} bytes)`);
    return { id, petId, url: photoPathOf(petId, id), contentType, size: bytes.length, etag: etagOf(sha256) };
  }

  async findUploaded(petId: number, photoId: number): Promise<UploadedPhoto> {
    const photo = await this.photos.findOne({
      select: { id: true, petId: true, contentType: true, sizeBytes: true, sha256: true },
      where: { id: photoId, petId, source: 'upload' },
    });
    if (!photo) throw new NotFoundException(`photo ${photoId} of pet ${petId} not found`);
    return photo;
  }

  async bytesOf(photo: UploadedPhoto): Promise<Buffer> {
    const row = await this.photos.findOne({ select: { id: true, data: true }, where: { id: photo.id } });
    if (!row?.data) throw new NotFoundException(`photo ${photo.id} of pet ${photo.petId} not found`);
    return row.data;
  }

  async remove(petId: number, photoId: number): Promise<void> {
    const result = await this.photos.delete({ id: photoId, petId });
    if (!result.affected) throw new NotFoundException(`photo ${photoId} of pet ${petId} not found`);
  }

  /** PET_DELETED: drops every photo registered before the deletion, in the consumer's transaction. */
  async removePetPhotos(manager: EntityManager, petId: number, deletedAtVersion: number): Promise<number> {
    const result = await manager.delete(Photo, { petId, petVersion: LessThan(deletedAtVersion) });
    const removed = result.affected ?? 0;
    this.logger.log(`pet ${petId} deleted (version ${deletedAtVersion}): removed ${removed} photo(s)`);
    return removed;
  }
}
