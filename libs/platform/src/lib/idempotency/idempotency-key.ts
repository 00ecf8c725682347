import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The header a client sets on a write it may send again (after a timeout or a lost answer), so
 * the store makes the change at most once: the IETF httpapi draft's `Idempotency-Key`.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** How long a key keeps naming its first request; a client retries within minutes, not days. */
export const IDEMPOTENCY_KEY_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * How long a request waits for one still running under its key before it is refused with 409:
 * long enough for the first to finish in the usual case, short enough to be answered within the
 * gateway's SERVICE_CALL_TIMEOUT_MS (5 s), which would otherwise answer 503 first.
 */
export const IDEMPOTENCY_KEY_WAIT_MS = 3000;

const KEY_CHARACTERS = `[\\x21\\x23-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}}`;
/** Printable ASCII without spaces or quotes, bare or quoted as the draft's structured-field string. */
const KEY_PATTERN = new RegExp(`^(?:"(${KEY_CHARACTERS})"|(${KEY_CHARACTERS}))$`);

/** The key as given (the quotes of the structured-field form removed); 400 naming the header when malformed or repeated. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? KEY_PATTERN.exec(value) : null;
  if (!match) {
    throw new BadRequestException(
      `Idempotency-Key must be given once, as 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces or quotes inside (a UUID is a good key)`,
    );
  }
  return match[1] ?? match[2];
}

/** The request's Idempotency-Key (see parseIdempotencyKey); undefined when it sent none. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  parseIdempotencyKey(context.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_KEY_HEADER]),
);
