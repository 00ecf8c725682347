import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors';

/** Deeper than any request of the API needs; far below what recursive validators survive. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Refuses with 400, before any validator or database sees it, input no field of the API can
 * hold: a NUL character (PostgreSQL cannot store one in text) anywhere in the JSON body or the
 * query, and JSON nested deeper than MAX_INPUT_DEPTH. The message names the field.
 */
export function refuseHostileInput(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const problem = problemIn(request.body, 'body') ?? problemIn(request.query, 'query');
    if (problem) {
      reply.status(HttpStatus.BAD_REQUEST).send(errorBody(HttpStatus.BAD_REQUEST, problem));
      return;
    }
    done();
  });
}

/** Walks the value without recursion, so the walk itself cannot overflow the stack. */
export function problemIn(root: unknown, rootName: string): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootName, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop() as (typeof pending)[number];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return `${path} must not contain NUL characters`;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return `${rootName} is nested deeper than ${MAX_INPUT_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path} must not contain NUL characters in its field names`;
      pending.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
