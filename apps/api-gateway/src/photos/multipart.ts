import fastifyMultipart from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_PHOTO_METADATA_LENGTH } from '@petstore/dto';
import { PhotoUploadConfig } from '@petstore/platform';

/**
 * Lets the upload route read a multipart form's file as it streams in (request.file()): one file
 * of at most the photo limit; form fields are ignored (additionalMetadata is a query parameter),
 * so a few short ones at most.
 */
export async function acceptMultipartUploads(app: NestFastifyApplication, config: PhotoUploadConfig): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.maxBytes, files: 1, fields: 10, fieldSize: MAX_PHOTO_METADATA_LENGTH, parts: 11 },
  });
}
