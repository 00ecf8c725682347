import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { ACCEPTED_PHOTO_TYPES } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
import { fromBuffer } from 'file-type';

/** The image type the bytes really are, whatever the client claimed; 415 for anything but an accepted image. */
export async function sniffImageType(bytes: Buffer): Promise<string> {
  if (bytes.length === 0) throw new BadRequestException('no file uploaded: the request body is empty');
  const detected = await fromBuffer(bytes);
  if (detected && ACCEPTED_PHOTO_TYPES.includes(detected.mime)) return detected.mime;
  const what = detected ? `${detected.mime} content` : 'not a recognisable image';
  throw new HttpException(
    errorBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `the upload is ${what}; accepted image types are ${ACCEPTED_PHOTO_TYPES.join(', ')}`),
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}
