import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configNamespace, RetryLaterException, variable } from '@petstore/platform';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import Joi from 'joi';
import { API_PREFIX } from './service';

/**
 * How many requests to the API one client may send in a window: a client flooding the gateway
 * with requests each of which costs a service a query (a search, a 409) slows everyone else. The
 * health, metrics and signing-key endpoints are not the API and are never limited.
 */
export const requestLimitConfig = configNamespace('requestLimit', {
  maxPerClient: variable('REQUESTS_MAX_PER_CLIENT', Joi.number().integer().min(1).default(1200)),
  windowSeconds: variable('REQUESTS_WINDOW_SECONDS', Joi.number().integer().min(1).default(60)),
});

export type RequestLimitConfig = ReturnType<typeof requestLimitConfig.read>;

/**
 * An IPv6 client is given a /64 of its own, so one address of it is not one client: the network
 * is. Login, sign-up and request limits all count clients this way.
 */
const CLIENT_IPV6_PREFIX = 64;

/** Who a request comes from as every per-client limit counts it: its address (behind TRUST_PROXY), an IPv6 one by its /64. */
export function clientOf(request: FastifyRequest): string {
  return normalizeIP(request.ip, CLIENT_IPV6_PREFIX);
}

/**
 * Limits each client to REQUESTS_MAX_PER_CLIENT requests to the API per REQUESTS_WINDOW_SECONDS,
 * counted in this gateway's memory as each request arrives, before its body is read; past it the
 * request is answered 429 with Retry-After and goes no further. Must run before the routes are
 * registered (before the app listens).
 */
export async function limitRequestsPerClient(app: NestFastifyApplication, config: RequestLimitConfig): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.maxPerClient,
    timeWindow: config.windowSeconds * 1000,
    keyGenerator: clientOf,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': false },
    errorResponseBuilder: (_request, { max, ttl }) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(ttl / 1000));
      return new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `too many requests from this client: at most ${max} in ${config.windowSeconds} seconds; retry after ${retryAfterSeconds} seconds`,
        retryAfterSeconds,
      );
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const countRequest = fastify.rateLimit() as onRequestHookHandler;
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith(`/${API_PREFIX}/`)) return;
    route.onRequest = [countRequest, ...[route.onRequest ?? []].flat()];
  });
}
