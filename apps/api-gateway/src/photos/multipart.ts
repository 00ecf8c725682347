import fastifyMultipart, { MultipartFile } from '@fastify/multipart';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_PHOTO_METADATA_LENGTH } from '@petstore/dto';
import { PhotoUploadConfig, uploadTooLarge } from '@petstore/platform';

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

/**
 * The bytes of a file part, refused with 413 as soon as they pass the limit. The plugin's own
 * toBuffer() reports the limit only once the part has ended, so a file streamed without end would
 * be read for as long as the client went on sending it. Destroying the file stream ends the form's
 * parsing; what the client still sends is then dropped within the platform's bound.
 */
export function fileBytesWithinLimit(part: MultipartFile, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    part.file.on('data', (chunk: Buffer) => chunks.push(chunk));
    part.file.once('limit', () => {
      chunks.length = 0;
      part.file.destroy();
      reject(uploadTooLarge(maxBytes));
    });
    part.file.once('end', () => resolve(Buffer.concat(chunks)));
    part.file.once('error', reject);
  });
}
