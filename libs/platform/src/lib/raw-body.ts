import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { errorBody } from './errors';

/** The 413 naming what was too large and the limit. */
function tooLargeFor(what: string, limitBytes: number): HttpException {
  return new HttpException(
    errorBody(HttpStatus.PAYLOAD_TOO_LARGE, `${what} is larger than the limit of ${limitBytes} bytes`),
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}

/** The 413 for an upload over the limit. */
export function uploadTooLarge(limitBytes: number): HttpException {
  return tooLargeFor('the upload', limitBytes);
}

/** The 413 for a JSON or form body over HTTP_BODY_LIMIT. */
export function bodyTooLarge(limitBytes: number): HttpException {
  return tooLargeFor('request body', limitBytes);
}

/**
 * Reads a request body into memory, at most `limitBytes`. A larger one is answered with
 * `tooLarge` (413) at once: a declared length over the limit before a byte is read, a streamed
 * body as soon as it passes the limit. The rest is left paused, for boundUnreadBodies to drop.
 */
export function readRawBody(
  request: IncomingMessage,
  limitBytes: number,
  tooLarge: (limitBytes: number) => HttpException = uploadTooLarge,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (request.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    if (Number(request.headers['content-length']) > limitBytes) {
      reject(tooLarge(limitBytes));
      return;
    }
    let received = 0;
    const chunks: Buffer[] = [];
    const collect = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      request.off('data', collect);
      request.pause();
      reject(tooLarge(limitBytes));
    };
    request.on('data', collect);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', (error) => reject(new BadRequestException(`the request body could not be read: ${error.message}`)));
    request.on('aborted', () => reject(new BadRequestException('the client aborted the request body')));
  });
}
