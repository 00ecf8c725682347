import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { photoUploadConfig, PhotoUploadConfig, uploadTooLarge } from '@petstore/platform';
// request.isMultipart() comes with the multipart plugin (acceptMultipartUploads).
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** Room for the multipart boundary and part headers around the one file a form may carry. */
export const MULTIPART_FRAMING_BYTES = 16 * 1024;

/**
 * The photo limit for multipart uploads, before the form is parsed: a declared length beyond the
 * limit and the form's framing is refused with 413 without reading a byte (the platform drops
 * what the client goes on sending, within a bound). A body of no declared length is limited
 * as it streams by the multipart file size limit (acceptMultipartUploads), which the controller answers
 * with the same 413. Raw uploads are limited the same way by readRawBody.
 */
@Injectable()
export class MultipartUploadLimit implements NestInterceptor {
  constructor(@Inject(photoUploadConfig.KEY) private readonly config: PhotoUploadConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const declared = Number(request.headers['content-length']);
    if (request.isMultipart() && declared > this.config.maxBytes + MULTIPART_FRAMING_BYTES) throw uploadTooLarge(this.config.maxBytes);
    return next.handle();
  }
}
