import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { errorBody } from './errors';

/** The 413 naming what was too large and the limit. */
function tooLargeFor(what: string, limitBytes: number): HttpException {
  return new HttpException(errorBody(HttpStatus.PAYLOAD_TOO_LARGE, `${what} is larger than the limit of ${limitBytes} bytes`), HttpStatus.PAYLOAD_TOO_LARGE);
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
 * Reads a body that will be refused to its end without keeping any of it, so the client, which
 * may still be sending, then reads the answer instead of a reset connection.
 */
export function discardBody(request: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (request.readableEnded) {
      resolve();
      return;
    }
    request.on('end', resolve);
    request.on('error', () => resolve());
    request.on('aborted', () => resolve());
    request.resume();
  });
}

/**
 * Reads a request body into memory, at most `limitBytes`. A larger body is answered with
 * `tooLarge` (413) once the client has finished sending it (the rest is discarded), so the
 * client reads the answer instead of a reset connection.
 */
export function readRawBody(request: IncomingMessage, limitBytes: number, tooLarge: (limitBytes: number) => HttpException = uploadTooLarge): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (request.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    const declared = Number(request.headers['content-length']);
    let overLimit = Number.isFinite(declared) && declared > limitBytes;
    let received = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      if (overLimit) return;
      received += chunk.length;
      if (received > limitBytes) {
        overLimit = true;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      if (overLimit) {
        reject(tooLarge(limitBytes));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    request.on('error', (error) => reject(new BadRequestException(`the request body could not be read: ${error.message}`)));
    request.on('aborted', () => reject(new BadRequestException('the client aborted the request body')));
  });
}
