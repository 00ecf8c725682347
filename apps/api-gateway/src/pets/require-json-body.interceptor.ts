import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UnsupportedMediaTypeException } from '@nestjs/common';
import { mediaTypeOf } from '@petstore/platform';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/**
 * The contract also lists XML and form bodies for a Pet; this store reads JSON only and says
 * so with 415 (before validation, which would otherwise report every field missing).
 */
@Injectable()
export class RequireJsonBody implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && mediaTypeOf(contentType) !== 'application/json') {
      throw new UnsupportedMediaTypeException(`send the pet as application/json, not ${contentType}`);
    }
    return next.handle();
  }
}
