import { ApiHeader, ApiResponseOptions } from '@nestjs/swagger';
import { ETAG_HEADER, headerOf, ServiceAnswer } from '@petstore/platform';
import type { FastifyReply } from 'fastify';

/** The service's answer, with the ETag it gave the resource. */
export function forwardEntityTag<T>(response: FastifyReply, answer: ServiceAnswer<T>): T {
  const entityTag = headerOf(answer.headers, ETAG_HEADER);
  if (entityTag !== undefined) response.header(ETAG_HEADER, entityTag);
  return answer.body;
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
