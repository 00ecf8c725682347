import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

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

export function correlationIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header(CORRELATION_ID_HEADER);
  const correlationId = given && given.length <= 128 ? given : randomUUID();
  response.setHeader(CORRELATION_ID_HEADER, correlationId);
  storage.run({ correlationId, request: `${request.method} ${request.path}` }, next);
}
