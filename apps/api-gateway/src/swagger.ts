import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { dump } from 'js-yaml';
import { ErrorResponse } from '@petstore/dto';
import { errorBody } from '@petstore/platform';
import { connectionLimitConfig } from './app/connection-limit';
import { requestLimitConfig } from './app/request-limit';
import { API_PREFIX } from './app/service';

export const BEARER_AUTH = 'bearer';

/** Swagger UI at /docs and the document at /docs-json (and /docs-yaml), generated from the controllers. */
export function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Swagger Petstore - OpenAPI 3.0 (microservices)')
    .setDescription(
      'The Petstore API served by an API gateway in front of five services. Extensions beyond the ' +
        'Petstore contract (order approval and delivery, photos, logout semantics) are marked as such.',
    )
    .setVersion('1.0.27')
    .setLicense('Apache 2.0', 'https://www.apache.org/licenses/LICENSE-2.0.html')
    // Paths relative to this server, as in the Petstore's document: a client generated from either
    // document calls the same URLs.
    .addServer(`/${API_PREFIX}`)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .addGlobalResponse(notAcceptable(), tooManyRequests())
    .build();
  const document = SwaggerModule.createDocument(app, config, { ignoreGlobalPrefix: true });
  SwaggerModule.setup('docs', app, document, { raw: false });
  serveDocument(app.getHttpAdapter().getInstance(), document);
}

/**
 * The document, written once: Nest's own routes wrote it out on every ask (JSON.stringify, or
 * js-yaml for YAML, of about 100 KB), and these are public and not limited per client, so a
 * flood of them from one address took the gateway's CPU from everyone. The YAML, asked for
 * rarely, is written at its first ask.
 */
export function serveDocument(fastify: FastifyInstance, document: OpenAPIObject): void {
  const json = Buffer.from(JSON.stringify(document));
  let yaml: Buffer | undefined;
  fastify.get('/docs-json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
  fastify.get('/docs-yaml', (_request, reply) => {
    yaml ??= Buffer.from(dump(document, { skipInvalid: true, noRefs: true }));
    return reply.type('text/yaml; charset=utf-8').send(yaml);
  });
}

/** Any operation answers 406 to a request whose Accept names none of what it answers (JSON; an image for a photo). */
function notAcceptable() {
  return errorResponse(406, "The request's Accept names none of the media types the operation answers.");
}

/**
 * Any operation answers 429 past the client's request limit (REQUESTS_MAX_PER_CLIENT) or its
 * connection limit (CONNECTIONS_MAX_PER_CLIENT): the limits as this gateway runs them.
 */
function tooManyRequests() {
  const { maxPerClient, windowSeconds } = requestLimitConfig.read();
  const connections = connectionLimitConfig.read().maxPerClient;
  const description =
    `Too many requests from this client: more than ${maxPerClient} in ${windowSeconds} seconds, ` +
    `or more than ${connections} connections open at once; see Retry-After (seconds).`;
  return { ...errorResponse(429, description), headers: { 'Retry-After': { schema: { type: 'integer' } } } };
}

function errorResponse(status: number, description: string) {
  return {
    status,
    description,
    content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) }, example: errorBody(status, description) } },
  };
}
