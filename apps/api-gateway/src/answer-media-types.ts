import { applyDecorators, BadRequestException, CanActivate, ExecutionContext, NotAcceptableException, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiProduces } from '@nestjs/swagger';
import { JSON_CONTENT_TYPE, JSON_MEDIA_TYPE } from '@petstore/platform';
import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

const ANSWER_MEDIA_TYPES = 'petstore:answer-media-types';

/**
 * The longest Accept read: a browser's is under 300 characters, and reading one of the 16 KiB
 * the headers may hold took milliseconds of the gateway's CPU, many times a request's own cost.
 */
export const MAX_ACCEPT_LENGTH = 1024;

/** What an operation answers on success unless its @AnswersAs says otherwise. */
const JSON_ANSWERS = [JSON_MEDIA_TYPE];

/** The forms of a media type an Accept header may name: JSON also with the charset it is sent in. */
function acceptableForms(mediaTypes: readonly string[]): string[] {
  return mediaTypes.flatMap((mediaType) => (mediaType === JSON_MEDIA_TYPE ? [JSON_MEDIA_TYPE, JSON_CONTENT_TYPE] : [mediaType]));
}

/**
 * Refuses (406) a request whose Accept names none of the media types its operation answers: the
 * Petstore contract also lists XML answers, and a client asking only for XML was answered JSON it
 * then failed to read. A request without an Accept (or with an empty one) takes whatever is answered,
 * and an operation that answers no body (its errors are JSON, as every error is) refuses nobody. An
 * Accept longer than MAX_ACCEPT_LENGTH is refused (400) unread. A guard, after the app's own
 * (authentication first), rather than an interceptor: Nest's interceptor pipeline cost every
 * request about 0.1 ms of CPU, as much as the rest of a read's framework work.
 */
class RefuseUnacceptableAnswers implements CanActivate {
  private readonly reflector = new Reflector();

  canActivate(context: ExecutionContext): boolean {
    const accept = context.switchToHttp().getRequest<FastifyRequest>().headers.accept?.trim();
    const mediaTypes = this.reflector.get<string[] | undefined>(ANSWER_MEDIA_TYPES, context.getHandler()) ?? JSON_ANSWERS;
    if (mediaTypes.length === 0 || !accept) return true;
    if (accept.length > MAX_ACCEPT_LENGTH) throw new BadRequestException(`the Accept header is longer than ${MAX_ACCEPT_LENGTH} characters`);
    if (new Negotiator({ headers: { accept } }).mediaType(acceptableForms(mediaTypes)) === undefined) {
      throw new NotAcceptableException(`this operation answers ${mediaTypes.join(' or ')}, and the request accepts only ${accept}`);
    }
    return true;
  }
}

/** Every operation of the controller answers JSON (or what its @AnswersAs names), and only to a request that accepts it. */
export function NegotiatesAnswers(): ClassDecorator {
  return UseGuards(new RefuseUnacceptableAnswers());
}

/** The media types an operation answers on success, other than JSON: what the API document says it produces, and what a request must accept. */
export function AnswersAs(...mediaTypes: string[]): MethodDecorator {
  return applyDecorators(ApiProduces(...mediaTypes), SetMetadata(ANSWER_MEDIA_TYPES, mediaTypes));
}

/** An operation whose success answers no body, whatever the request accepts. */
export function AnswersNothing(): MethodDecorator {
  return SetMetadata(ANSWER_MEDIA_TYPES, []);
}
