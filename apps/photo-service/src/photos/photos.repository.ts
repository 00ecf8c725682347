import { Injectable } from '@nestjs/common';
import { bigintAsNumber } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { NewUpload, UploadedPhoto } from './photo-record';

/**
 * Registering a URL the pet already lists keeps one row; its version moves up so that a late
 * PET_DELETED of an earlier pet with the same id does not remove it.
 */
const REGISTER_EXTERNAL_SQL = `
  INSERT INTO photo (pet_id, pet_version, source, url)
  SELECT $1, $2, 'external', url FROM unnest($3::varchar[]) AS url
  ON CONFLICT (pet_id, url) WHERE source = 'external'
  DO UPDATE SET pet_version = GREATEST(photo.pet_version, EXCLUDED.pet_version)`;

const INSERT_UPLOAD_SQL = `
  INSERT INTO photo (pet_id, pet_version, source, content_type, size_bytes, sha256, additional_metadata, data)
  VALUES ($1, $2, 'upload', $3, $4, $5, $6, $7)
  RETURNING id`;

const FIND_UPLOADED_SQL = `
  SELECT id, pet_id AS "petId", content_type AS "contentType", size_bytes AS "sizeBytes", sha256
  FROM photo WHERE id = $1 AND pet_id = $2 AND source = 'upload'`;

/** An uploaded photo as FIND_UPLOADED_SQL selects it: bigint arrives as a string. */
type UploadedPhotoRow = Omit<UploadedPhoto, 'id' | 'petId'> & { id: string; petId: string };

/**
 * photo_db's photos, in SQL: external URLs the client listed (metadata only) and uploaded images
 * whose bytes live in `data`, in the same row, so one statement stores or removes both.
 * `pet_version` is the pet's version when the photo was registered: PET_DELETED removes only
 * older photos.
 */
@Injectable()
export class PhotosRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the external URLs the pet lists at this version. */
  async registerExternal(petId: number, petVersion: number, urls: string[]): Promise<void> {
    await this.dataSource.query(REGISTER_EXTERNAL_SQL, [petId, petVersion, urls]);
  }

  /** Stores an uploaded image and answers its id. */
  async insertUpload(upload: NewUpload): Promise<number> {
    const [{ id }]: { id: string }[] = await this.dataSource.query(INSERT_UPLOAD_SQL, [
      upload.petId,
      upload.petVersion,
      upload.contentType,
      upload.sizeBytes,
      upload.sha256,
      upload.additionalMetadata,
      upload.data,
    ]);
    return bigintAsNumber.from(id);
  }

  /** The upload with this id, if it is one of this pet's; without its bytes. */
  async findUploaded(petId: number, photoId: number): Promise<UploadedPhoto | null> {
    const rows: UploadedPhotoRow[] = await this.dataSource.query(FIND_UPLOADED_SQL, [photoId, petId]);
    if (rows.length === 0) return null;
    return { ...rows[0], id: bigintAsNumber.from(rows[0].id), petId: bigintAsNumber.from(rows[0].petId) };
  }

  /** The photo's stored bytes, or null when it has none (or is gone). */
  async bytesOf(photoId: number): Promise<Buffer | null> {
    const rows: { data: Buffer | null }[] = await this.dataSource.query(`SELECT data FROM photo WHERE id = $1`, [photoId]);
    return rows[0]?.data ?? null;
  }

  /** Deletes the photo if it is one of this pet's; false when there is no such photo. */
  async delete(petId: number, photoId: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(`DELETE FROM photo WHERE id = $1 AND pet_id = $2`, [photoId, petId]);
    return affected > 0;
  }

  /** Uploads not yet found listed by their pet, stored at least `ageSeconds` ago: the oldest `limit`. */
  async unconfirmedUploads(ageSeconds: number, limit: number): Promise<{ id: number; petId: number }[]> {
    const rows: { id: string; petId: string }[] = await this.dataSource.query(
      `SELECT id, pet_id AS "petId" FROM photo
       WHERE source = 'upload' AND listed_at IS NULL AND created_at <= now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [ageSeconds, limit],
    );
    return rows.map((row) => ({ id: bigintAsNumber.from(row.id), petId: bigintAsNumber.from(row.petId) }));
  }

  async markListed(photoIds: number[]): Promise<void> {
    await this.dataSource.query(`UPDATE photo SET listed_at = now() WHERE id = ANY($1::bigint[])`, [photoIds]);
  }

  /** Marks the pet's confirmed uploads but these to be checked again, in the caller's transaction. */
  async unconfirmUploadsBut(manager: EntityManager, petId: number, listedPhotoIds: number[]): Promise<void> {
    await manager.query(
      `UPDATE photo SET listed_at = NULL
       WHERE pet_id = $1 AND source = 'upload' AND listed_at IS NOT NULL AND id <> ALL($2::bigint[])`,
      [petId, listedPhotoIds],
    );
  }

  /** Deletes these uploads unless they were found listed meanwhile; answers how many. */
  async deleteUnconfirmed(photoIds: number[]): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(`DELETE FROM photo WHERE id = ANY($1::bigint[]) AND listed_at IS NULL`, [
      photoIds,
    ]);
    return affected;
  }

  /** For each deleted pet, deletes its photos registered before the version it was deleted at; answers how many. */
  async deleteRegisteredBeforeDeletions(deletions: { petId: number; version: number }[]): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM photo USING unnest($1::bigint[], $2::int[]) AS deleted (pet_id, version)
       WHERE photo.pet_id = deleted.pet_id AND photo.pet_version < deleted.version`,
      [deletions.map((deletion) => deletion.petId), deletions.map((deletion) => deletion.version)],
    );
    return affected;
  }

  /** Deletes, in the caller's transaction, the pet's photos registered before this pet version; answers how many. */
  async deleteRegisteredBefore(manager: EntityManager, petId: number, petVersion: number): Promise<number> {
    const [, affected]: [unknown, number] = await manager.query(`DELETE FROM photo WHERE pet_id = $1 AND pet_version < $2`, [petId, petVersion]);
    return affected;
  }
}
