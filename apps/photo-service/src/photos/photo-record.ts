/** An uploaded photo's metadata, without its bytes, as PhotosRepository reads it. */
export interface UploadedPhoto {
  id: number;
  petId: number;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
}

/** An uploaded image to store, with what is known about its bytes. */
export interface NewUpload {
  petId: number;
  petVersion: number;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  additionalMetadata: string | null;
  data: Buffer;
}
