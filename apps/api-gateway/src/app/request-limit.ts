import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configNamespace, RetryLaterException, variable } from '@petstore/platform';
import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { Address6 } from 'ip-address';
import Joi from 'joi';
import { LRUCache } from 'lru-cache';
import { isIPv6 } from 'node:net';
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

/** The client an address belongs to as every per-client limit counts it: an IPv4 address itself, an IPv6 one by its /64. */
export function clientAt(address: string): string {
  if (!isIPv6(address)) return address;
  const ipv6 = new Address6(address);
  if (ipv6.is4()) return ipv6.to4().correctForm();
  return new Address6(`${ipv6.correctForm()}/${CLIENT_IPV6_PREFIX}`).startAddress().correctForm();
}

/** Who a request comes from as every per-client limit counts it: its address (behind TRUST_PROXY), an IPv6 one by its /64. */
export function clientOf(request: FastifyRequest): string {
  return clientAt(request.ip);
}

interface ClientWindow {
  requests: number;
  endsAt: number;
}

/** The clients whose windows are remembered: past that many at once, the least recent start afresh. */
const CLIENTS_REMEMBERED = 5000;

/**
 * Limits each client to REQUESTS_MAX_PER_CLIENT requests to the API per REQUESTS_WINDOW_SECONDS:
 * a fixed window that starts at the client's first request, counted in this gateway's memory as
 * each request arrives, before its body is read or its token verified; past it the request is
 * answered 429 with Retry-After (the seconds left of the window) and goes no further. The count
 * is a synchronous hook: the read path pays a map lookup, no promise. Must run before the routes
 * are registered (before the app listens).
 */
export function limitRequestsPerClient(app: NestFastifyApplication, config: RequestLimitConfig): void {
  const windows = new LRUCache<string, ClientWindow>({ max: CLIENTS_REMEMBERED });
  const windowMs = config.windowSeconds * 1000;
  const countRequest: onRequestHookHandler = (request, _reply, done) => {
    const client = clientOf(request);
    const now = Date.now();
    let window = windows.get(client);
    if (!window || window.endsAt <= now) {
      window = { requests: 0, endsAt: now + windowMs };
      windows.set(client, window);
    }
    window.requests += 1;
    if (window.requests <= config.maxPerClient) return done();
    const retryAfterSeconds = Math.ceil((window.endsAt - now) / 1000);
    done(
      new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `too many requests from this client: at most ${config.maxPerClient} in ${config.windowSeconds} seconds; retry after ${retryAfterSeconds} seconds`,
        retryAfterSeconds,
      ),
    );
  };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      if (!route.url.startsWith(`/${API_PREFIX}/`)) return;
      route.onRequest = [countRequest, ...[route.onRequest ?? []].flat()];
    });
}
