import type { ValueTransformer } from 'typeorm';

/** The Postgres error codes this code base tells apart (SQLSTATE, Postgres manual appendix A). */
export const PostgresErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  InvalidTextRepresentation: '22P02',
  NumericValueOutOfRange: '22003',
  DuplicateDatabase: '42P04',
  DeadlockDetected: '40P01',
  SerializationFailure: '40001',
  LockNotAvailable: '55P03',
  QueryCanceled: '57014',
  ReadOnlySqlTransaction: '25006',
} as const;

export type PostgresErrorCode = (typeof PostgresErrorCode)[keyof typeof PostgresErrorCode];

/**
 * The error node-postgres raised, unwrapped from TypeORM's QueryFailedError (which keeps it as
 * `driverError`). Recognised by that property rather than by class, so this module, which the
 * error filter of every app loads, does not load TypeORM into the gateway, which has no database.
 */
export function driverErrorOf(error: unknown): unknown {
  return error instanceof Error && 'driverError' in error ? error.driverError : error;
}

/** The SQLSTATE of an error from a TypeORM query or straight from node-postgres. */
export function postgresErrorCode(error: unknown): string | undefined {
  return (driverErrorOf(error) as { code?: unknown } | null)?.code as string | undefined;
}

/**
 * A connection left a statement unanswered past the client's bound (a server or network that
 * stopped answering), so the client closed it: the database is away for this request.
 */
export class DatabaseSilentError extends Error {
  override readonly name = 'DatabaseSilentError';

  constructor(readonly timeoutMs: number) {
    super(`the database did not answer within ${timeoutMs} ms; the connection was closed`);
  }
}

/** Node's socket errors and node-postgres' own messages when the server cannot be reached or lets go. */
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNREACHABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable/i;

/**
 * Whether an error says the database cannot serve anyone right now (down, restarting, refusing
 * connections, out of connections), rather than that this request was wrong: such a failure is
 * a 503 for a client and worth retrying for a consumer.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const raw = driverErrorOf(error) as { code?: unknown; message?: unknown } | null;
  if (raw instanceof DatabaseSilentError) return true;
  const code = typeof raw?.code === 'string' ? raw.code : '';
  const message = typeof raw?.message === 'string' ? raw.message : '';
  // 08: the connection failed; 53: the server is out of a resource (disk, memory, connections).
  if (code.startsWith('08') || code.startsWith('53') || ['57P01', '57P02', '57P03'].includes(code)) return true;
  if (code === '55000' && message.includes('not currently accepting connections')) return true;
  return UNREACHABLE_ERRNOS.has(code) || UNREACHABLE_MESSAGE.test(message);
}

/**
 * Whether the database refused a change because it accepts none: a standby, such as a former
 * primary after a failover, or a server set read-only for maintenance.
 */
export function isDatabaseReadOnly(error: unknown): boolean {
  return isPostgresError(error, PostgresErrorCode.ReadOnlySqlTransaction);
}

/**
 * Whether a failed statement may succeed if simply tried again later: the database is away or
 * read-only, or the transaction lost a race (deadlock, serialization failure) or waited too long
 * (lock or statement timeout). Anything else says the work itself is wrong and will fail every
 * time.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  return (
    isDatabaseUnavailable(error) ||
    isDatabaseReadOnly(error) ||
    isPostgresError(
      error,
      PostgresErrorCode.DeadlockDetected,
      PostgresErrorCode.SerializationFailure,
      PostgresErrorCode.LockNotAvailable,
      PostgresErrorCode.QueryCanceled,
    )
  );
}

export function isPostgresError(error: unknown, ...codes: PostgresErrorCode[]): boolean {
  return (codes as string[]).includes(postgresErrorCode(error) ?? '');
}

/** Postgres bigint arrives as a string; ids stay below 2^53, so a number holds them exactly. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
