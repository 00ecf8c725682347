import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<string>();

/** The id that ties a client request to every call and event it causes. */
export function currentCorrelationId(): string {
  return storage.getStore() ?? randomUUID();
}

export function runWithCorrelationId<T>(correlationId: string, work: () => T): T {
  return storage.run(correlationId, work);
}

export function correlationIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header(CORRELATION_ID_HEADER);
  const correlationId = given && given.length <= 128 ? given : randomUUID();
  response.setHeader(CORRELATION_ID_HEADER, correlationId);
  storage.run(correlationId, next);
}
