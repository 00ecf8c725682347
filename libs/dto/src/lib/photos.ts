/** The most bytes one uploaded photo may have, unless PHOTO_MAX_BYTES says otherwise. */
export const DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** Image types an upload may be, as sniffed from its bytes; anything else is refused with 415. */
export const ACCEPTED_PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

export const MAX_PHOTO_METADATA_LENGTH = 1000;

const PHOTO_PATH = /^\/api\/v3\/pet\/(\d+)\/photos\/(\d+)$/;

/** Where the gateway serves an uploaded photo; the URL that appears in the pet's photoUrls. */
export function photoPathOf(petId: number, photoId: number): string {
  return `/api/v3/pet/${petId}/photos/${photoId}`;
}

/** The pet and photo an uploaded photo's URL names, or undefined for any other URL. */
export function parsePhotoPath(url: string): { petId: number; photoId: number } | undefined {
  const match = PHOTO_PATH.exec(url);
  return match ? { petId: Number(match[1]), photoId: Number(match[2]) } : undefined;
}

/** photo-service's answer to an upload. */
export interface StoredPhoto {
  id: number;
  petId: number;
  url: string;
  contentType: string;
  size: number;
  etag: string;
}

/** photo-service's `POST /pets/{petId}/photo-registrations`: the external URLs a pet now lists. */
export interface PhotoRegistrationRequest {
  /** The pet's version once the change that lists these URLs commits. */
  petVersion: number;
  urls: string[];
}

/** Query parameters of photo-service's `POST /pets/{petId}/photos`. */
export interface PhotoUploadQuery {
  petVersion: number;
  additionalMetadata?: string;
}

/** pet-service's answer to photo-service asking which photo URLs a pet lists now. */
export interface PetPhotoListing {
  photoUrls: string[];
}
