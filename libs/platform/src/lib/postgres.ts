import { QueryFailedError, ValueTransformer } from 'typeorm';

/** The Postgres error codes this code base tells apart (SQLSTATE, Postgres manual appendix A). */
export const PostgresErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  InvalidTextRepresentation: '22P02',
  NumericValueOutOfRange: '22003',
  DuplicateDatabase: '42P04',
  DeadlockDetected: '40P01',
  SerializationFailure: '40001',
} as const;

export type PostgresErrorCode = (typeof PostgresErrorCode)[keyof typeof PostgresErrorCode];

/** The SQLSTATE of an error from a TypeORM query or straight from node-postgres. */
export function postgresErrorCode(error: unknown): string | undefined {
  const raw = error instanceof QueryFailedError ? error.driverError : error;
  return (raw as { code?: unknown } | null)?.code as string | undefined;
}

export function isPostgresError(error: unknown, ...codes: PostgresErrorCode[]): boolean {
  return (codes as string[]).includes(postgresErrorCode(error) ?? '');
}

/** Postgres bigint arrives as a string; ids stay below 2^53, so a number holds them exactly. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
