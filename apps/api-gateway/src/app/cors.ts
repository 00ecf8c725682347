import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  CORRELATION_ID_HEADER,
  configNamespace,
  ETAG_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IF_MATCH_HEADER,
  IF_NONE_MATCH_HEADER,
  variable,
} from '@petstore/platform';
import Joi from 'joi';
import { EXPIRES_AFTER_HEADER, RATE_LIMIT_HEADER } from '../users/sessions.client';

const ORIGIN = String.raw`https?://[A-Za-z0-9.-]+(?::\d{1,5})?`;

/**
 * Which web origins' scripts may call the API from a browser (CORS): none by default, so a
 * page on another site cannot; `*` for any, or origins such as `https://shop.example`,
 * comma-separated. Tokens travel in the Authorization header, never in cookies, so no origin is
 * given credentials: a page still needs a token its user gave it.
 */
export const corsConfig = configNamespace('cors', {
  origins: variable(
    'CORS_ORIGINS',
    Joi.string()
      .allow('')
      .pattern(new RegExp(String.raw`^(\*|${ORIGIN}(\s*,\s*${ORIGIN})*)$`), 'empty, *, or origins such as https://shop.example, comma-separated')
      .default(''),
  ),
});

type CorsOptions = Exclude<Parameters<NestFastifyApplication['enableCors']>[0], undefined>;

/** The CORS the gateway answers with for CORS_ORIGINS' value; undefined when no origin is allowed. */
export function corsOptions(origins: string): CorsOptions | undefined {
  if (origins === '') return undefined;
  return {
    origin: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', IDEMPOTENCY_KEY_HEADER, IF_MATCH_HEADER, IF_NONE_MATCH_HEADER, CORRELATION_ID_HEADER],
    exposedHeaders: [ETAG_HEADER, 'location', 'retry-after', RATE_LIMIT_HEADER, EXPIRES_AFTER_HEADER, CORRELATION_ID_HEADER],
    credentials: false,
    maxAge: 600,
  };
}
