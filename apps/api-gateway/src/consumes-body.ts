import { applyDecorators, CanActivate, ExecutionContext, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import { mediaTypeOf } from '@petstore/platform';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from './api-responses';

/** Whether the request carries a body at all: a length above zero, or one sent in chunks. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Refuses (415) a body the route does not read: one of another media type, or one sent without a
 * Content-Type. Every app parses JSON and form bodies and leaves any other unread, so without it
 * such a body was silently ignored: an update answered 200 having changed nothing, a creation
 * 400 naming every field missing. A guard, after the app's own, for what an interceptor costs
 * (see RefuseUnacceptableAnswers).
 */
class RequireBodyOf implements CanActivate {
  constructor(private readonly mediaTypes: readonly string[]) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const contentType = request.headers['content-type'];
    const mediaType = mediaTypeOf(contentType);
    if (mediaType === undefined ? hasBody(request) : !this.mediaTypes.includes(mediaType)) {
      throw new UnsupportedMediaTypeException(`send the body as ${this.mediaTypes.join(' or ')}, not ${contentType ?? 'without a Content-Type'}`);
    }
    return true;
  }
}

/**
 * The media types a route reads its body as: what the API document says it consumes, and the
 * only ones it takes (415 otherwise, documented). A request without a body is left to validation.
 */
export function ConsumesBody(...mediaTypes: string[]): MethodDecorator {
  return applyDecorators(
    ApiConsumes(...mediaTypes),
    ApiErrors({ 415: `The body is not ${mediaTypes.join(' or ')}, or it came without a Content-Type.` }),
    UseGuards(new RequireBodyOf(mediaTypes)),
  );
}
