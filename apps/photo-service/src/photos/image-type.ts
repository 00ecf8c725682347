import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { ACCEPTED_PHOTO_TYPES } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
import { fromBuffer } from 'file-type';

/**
 * What the bytes are by their leading bytes, or 'malformed' when they start as a format but end
 * before its header does: file-type 16 means to answer those as unknown, but its fromTokenizer
 * returns the detection unawaited, so the tokenizer's end-of-stream error escapes its own catch.
 */
async function detect(bytes: Buffer): Promise<Awaited<ReturnType<typeof fromBuffer>> | 'malformed'> {
  try {
    return await fromBuffer(bytes);
  } catch {
    return 'malformed';
  }
}

/** The image type the bytes really are, whatever the client claimed; 415 for anything but an accepted image. */
export async function sniffImageType(bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new BadRequestException('no file uploaded: the request body is empty');
  const detected = await detect(bytes);
  if (detected === 'malformed') throw unsupported('truncated or malformed: it ends before its header does');
  if (detected && ACCEPTED_PHOTO_TYPES.includes(detected.mime)) return detected.mime;
  throw unsupported(detected ? `${detected.mime} content` : 'not a recognisable image');
}

function unsupported(what: string): HttpException {
  return new HttpException(
    errorBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `the upload is ${what}; accepted image types are ${ACCEPTED_PHOTO_TYPES.join(', ')}`),
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}
