import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { parse as parseJsonSecurely } from 'secure-json-parse';
import { bodyTooLarge, readRawBody } from './raw-body';

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** How secure-json-parse (Fastify's JSON parser, and ours) words a key that could reach an object's prototype. */
const PROTOTYPE_KEY_ERROR = 'Object contains forbidden prototype property';

/** The content type of a JSON answer as Fastify writes it for the objects a route returns; for a route that returns JSON it did not write (bytes passed on). */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The media types whose bodies every app parses into fields before a route runs; any other body is left to the route. */
export const PARSED_MEDIA_TYPES: ReadonlySet<string> = new Set([JSON_MEDIA_TYPE, FORM_MEDIA_TYPE]);

/**
 * JSON and form bodies up to the app's `bodyLimit`; a body of any other type is left unread for the route
 * that takes it (an upload reads it as a stream), or for the route to refuse. A body over the
 * limit is answered 413 at once, as an upload's is, and the rest is dropped within
 * boundUnreadBodies' allowance: Fastify's own reader closes the connection as it answers, so a
 * client still sending a large body met a broken pipe instead of the answer.
 */
export function parseBodies(fastify: FastifyInstance): void {
  const limitBytes = fastify.initialConfig.bodyLimit as number;
  const readText = async (payload: IncomingMessage) => (await readRawBody(payload, limitBytes, bodyTooLarge)).toString('utf8');
  // Fastify's own text parser would read a text/plain upload as a string, too short a limit and all.
  fastify.removeAllContentTypeParsers();
  // An empty body is no body, as a request without one, for the validator to report what is missing. A key
  // that could reach an object's prototype is refused, as Fastify's own JSON parser does.
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, async (_request: FastifyRequest, payload: IncomingMessage) => {
    const body = await readText(payload);
    if (body.length === 0) return undefined;
    try {
      return parseJsonSecurely(body, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      throw invalidJson(error as Error);
    }
  });
  fastify.addContentTypeParser(FORM_MEDIA_TYPE, async (_request: FastifyRequest, payload: IncomingMessage) =>
    parseQueryString(await readText(payload)),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
}

/** The 400 for a JSON body the parser refused: not JSON at all, or JSON with a key that could reach an object's prototype. */
function invalidJson(error: Error): BadRequestException {
  if (error.message === PROTOTYPE_KEY_ERROR) {
    return new BadRequestException('request body has a "__proto__" key, or a "constructor" with a "prototype" key, which is refused');
  }
  return new BadRequestException('request body is not valid JSON');
}
