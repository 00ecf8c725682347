import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestLineOf } from './request-line';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** What ties a log line to the request or event it belongs to. */
export interface CorrelationScope {
  correlationId: string;
  /** The HTTP method and path being answered (never the query string: it may hold a password). */
  request?: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** The id that ties a client request to every call and event it causes. */
export function currentCorrelationId(): string {
  return storage.getStore()?.correlationId ?? randomUUID();
}

/** The request or event being handled, if any. */
export function currentCorrelationScope(): CorrelationScope | undefined {
  return storage.getStore();
}

export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

const scopes = new WeakMap<FastifyRequest, CorrelationScope>();

/**
 * Every request runs in its correlation scope: the id the caller sent (at most 128 characters)
 * or a new one, answered in the same header. The scope is entered when the request arrives and
 * again just before its route runs: a body is read in the connection's context, not the request's.
 */
export function answerCorrelated(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const given = request.headers[CORRELATION_ID_HEADER];
    const correlationId = typeof given === 'string' && given.length > 0 && given.length <= 128 ? given : randomUUID();
    reply.header(CORRELATION_ID_HEADER, correlationId);
    const scope = { correlationId, request: requestLineOf(request) };
    scopes.set(request, scope);
    storage.enterWith(scope);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const scope = scopes.get(request);
    if (scope) storage.enterWith(scope);
    done();
  });
}
