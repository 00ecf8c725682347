import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse, ApiResponseOptions } from '@nestjs/swagger';
import { ETAG_HEADER, headerOf, ifNoneMatchHits, ServiceAnswer } from '@petstore/platform';
import type { FastifyReply } from 'fastify';

/** The service's answer, with the ETag it gave the resource. */
export function forwardEntityTag<T>(response: FastifyReply, answer: ServiceAnswer<T>): T {
  const entityTag = headerOf(answer.headers, ETAG_HEADER);
  if (entityTag !== undefined) response.header(ETAG_HEADER, entityTag);
  return answer.body;
}

/**
 * Sends the service's answer to a read with its ETag, or 304 without a body when the client's
 * If-None-Match names that tag: the copy it holds is current. The handler takes the reply
 * (`@Res()`) to set that status: Nest sets a passthrough handler's status itself.
 */
export function sendRead<T>(reply: FastifyReply, ifNoneMatch: string | undefined, answer: ServiceAnswer<T>): void {
  const entityTag = headerOf(answer.headers, ETAG_HEADER);
  if (entityTag === undefined) {
    reply.status(200).send(answer.body);
    return;
  }
  reply.header(ETAG_HEADER, entityTag);
  if (ifNoneMatchHits(ifNoneMatch, entityTag)) reply.status(304).send();
  else reply.status(200).send(answer.body);
}

/** The optional If-None-Match of a read of one `resource`, and its 304. */
export function ApiIfNoneMatch(resource: string): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: `The ETag of a copy of the ${resource} the client holds (or several, or \`*\`): if the ${resource} is still at one of them, 304 without a body.`,
      schema: { type: 'string', example: '"3"' },
    }),
    ApiResponse({
      status: 304,
      description: `Not modified: the ${resource} is still at an ETag If-None-Match names; the copy the client holds is current.`,
    }),
  );
}

/** The ETag of an answer that shows one `resource` (pet, user). */
export function entityTagHeader(resource: string): ApiResponseOptions['headers'] {
  return {
    ETag: {
      description: `The version of the ${resource} this answer shows. Send it back as If-Match to change the ${resource} only if no one has changed it since.`,
      schema: { type: 'string', example: '"3"' },
    },
  };
}

/** The optional If-Match of a write to one `resource`. */
export function ApiIfMatch(resource: string): MethodDecorator {
  return ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      `The ETag the ${resource} was read at (or several, or \`*\` for any): the write is made only if the ${resource} is still at one of them, ` +
      'else 412 and nothing changes. A client that sends its update again after a timeout gets 412 instead of overwriting ' +
      `a change made in between; a deletion does not remove a ${resource} changed since it was read. Without it the write is made ` +
      'whatever the version.',
    schema: { type: 'string', example: '"3"' },
  });
}

/** The 412 of a write under If-Match to one `resource`. */
export function changedSinceRead(resource: string): string {
  return `If-Match names a version the ${resource} is no longer at: it changed since it was read (the message gives its current ETag). Nothing was changed; read it again.`;
}
