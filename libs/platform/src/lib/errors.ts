import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ErrorResponse } from '@petstore/dto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { requestLineOf } from './request-line';
import { driverErrorOf, isDatabaseReadOnly, isDatabaseUnavailable, isTransientDatabaseError, postgresErrorCode, PostgresErrorCode } from './postgres';
import type { ServiceName } from './service-catalog';

const STATUS_OF_POSTGRES_ERROR = new Map<string | undefined, HttpStatus>([
  [PostgresErrorCode.UniqueViolation, HttpStatus.CONFLICT],
  [PostgresErrorCode.ForeignKeyViolation, HttpStatus.CONFLICT],
  [PostgresErrorCode.InvalidTextRepresentation, HttpStatus.BAD_REQUEST],
  [PostgresErrorCode.NumericValueOutOfRange, HttpStatus.BAD_REQUEST],
]);

/** The one error body every app answers with: Nest's own shape, never a stack trace. */
export function errorBody(status: number, message: string | string[]): ErrorResponse {
  return { statusCode: status, error: reasonPhraseOf(status), message };
}

/** Nest's name of the status, in words (`Not Found`); Node's for one Nest does not name (431). */
function reasonPhraseOf(status: number): string {
  const nestName = HttpStatus[status];
  if (nestName === undefined) return STATUS_CODES[status] ?? 'Error';
  return nestName
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** Another service's own error answer, passed through: its status, its message and when to try again. */
export class ServiceErrorException extends HttpException {
  constructor(
    readonly service: ServiceName,
    status: number,
    message: string | string[],
    readonly retryAfter: string | null,
  ) {
    super(errorBody(status, message), status);
  }
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return errorBody(status, response);
  const { message } = response as { message?: string | string[] };
  return errorBody(status, message ?? exception.message);
}

/** A 429 or 503 that tells the client when to try again: the error filter sets Retry-After. */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(errorBody(status, message), status);
  }
}

/** Seconds a client is told to wait while the database is away: pools reconnect on their own. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  constructor(private readonly service: ServiceName) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw thrown;
    const exception = this.answerable(thrown);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      const requestLine = requestLineOf(host.switchToHttp().getRequest<FastifyRequest>());
      // A 5xx we answered on purpose (a dependency is down) is news, not a bug: no stack trace.
      if (exception instanceof HttpException) {
        this.logger.warn(`${requestLine} answered ${body.statusCode}: ${[body.message].flat().join('; ')}`);
      } else {
        this.logger.error(`${requestLine} failed`, (exception as Error)?.stack);
      }
    }
    if (reply.sent) return;
    if (exception instanceof ServiceErrorException && exception.retryAfter) reply.header('retry-after', exception.retryAfter);
    if (exception instanceof RetryLaterException) reply.header('retry-after', String(exception.retryAfterSeconds));
    reply.status(body.statusCode).send(body);
  }

  /**
   * A database that is away is a deliberate 503 like any other dependency, not an unexpected
   * error; so is one that accepts no changes (a standby after a failover), and one too busy to
   * finish the statement in time (a lock or statement timeout, a deadlock): the same request may
   * well succeed when tried again.
   */
  private answerable(thrown: unknown): unknown {
    if (thrown instanceof HttpException || !isTransientDatabaseError(thrown)) return thrown;
    const state = isDatabaseUnavailable(thrown) ? 'unavailable' : isDatabaseReadOnly(thrown) ? 'read-only' : 'too busy to answer in time';
    return new RetryLaterException(
      HttpStatus.SERVICE_UNAVAILABLE,
      `${this.service}'s database is ${state}; try again later`,
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }

  private toBody(exception: unknown): ErrorResponse {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const status = STATUS_OF_POSTGRES_ERROR.get(postgresErrorCode(exception));
    if (status) return errorBody(status, (driverErrorOf(exception) as Error).message);
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}

/**
 * Fastify's and its plugins' own client errors (a multipart limit, a malformed form) as the
 * HttpException the error filter answers, in their words; anything else unchanged.
 */
export function frameworkErrorAsHttp(error: unknown): unknown {
  const { name, statusCode, message } = error as { name?: string; statusCode?: number; message?: string };
  if (name !== 'FastifyError' || !statusCode || statusCode >= 500) return error;
  return new HttpException(errorBody(statusCode, message ?? 'bad request'), statusCode);
}
