import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';

const JSON_MEDIA_TYPE = 'application/json';
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The media types whose bodies every app parses into fields before a route runs; any other body is left to the route. */
export const PARSED_MEDIA_TYPES: ReadonlySet<string> = new Set([JSON_MEDIA_TYPE, FORM_MEDIA_TYPE]);

/**
 * JSON and form bodies up to the limit; a body of any other type is left unread for the route
 * that takes it (an upload reads it as a stream), or for the route to refuse.
 */
export function parseBodies(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  // Fastify's own text parser would read a text/plain upload as a string, too short a limit and all.
  fastify.removeAllContentTypeParsers();
  // An empty body is no body, as a request without one, for the validator to report what is missing.
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) return done(null, undefined);
    json(request, body as string, (error: Error | null, parsed: unknown) =>
      error ? done(new BadRequestException('request body is not valid JSON')) : done(null, parsed),
    );
  });
  fastify.addContentTypeParser(FORM_MEDIA_TYPE, { parseAs: 'string' }, (_request, body, done) => done(null, parseQueryString(body as string)));
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
}
