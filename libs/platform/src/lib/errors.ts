import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ErrorResponse } from '@petstore/dto';
import { driverErrorOf, isDatabaseUnavailable, isTransientDatabaseError, postgresErrorCode, PostgresErrorCode } from './postgres';
import type { ServiceName } from './service-catalog';

const STATUS_OF_POSTGRES_ERROR = new Map<string | undefined, HttpStatus>([
  [PostgresErrorCode.UniqueViolation, HttpStatus.CONFLICT],
  [PostgresErrorCode.ForeignKeyViolation, HttpStatus.CONFLICT],
  [PostgresErrorCode.InvalidTextRepresentation, HttpStatus.BAD_REQUEST],
  [PostgresErrorCode.NumericValueOutOfRange, HttpStatus.BAD_REQUEST],
]);

/** The one error body every app answers with: Nest's own shape, never a stack trace. */
export function errorBody(status: number, message: string | string[]): ErrorResponse {
  const error = (HttpStatus[status] ?? 'Error')
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return { statusCode: status, error, message };
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
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      const request = host.switchToHttp().getRequest<Request>();
      // A 5xx we answered on purpose (a dependency is down) is news, not a bug: no stack trace.
      if (exception instanceof HttpException) {
        this.logger.warn(`${request.method} ${request.path} answered ${body.statusCode}: ${[body.message].flat().join('; ')}`);
      } else {
        this.logger.error(`${request.method} ${request.path} failed`, (exception as Error)?.stack);
      }
    }
    if (response.headersSent) return;
    if (exception instanceof ServiceErrorException && exception.retryAfter) response.setHeader('retry-after', exception.retryAfter);
    if (exception instanceof RetryLaterException) response.setHeader('retry-after', String(exception.retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }

  /**
   * A database that is away is a deliberate 503 like any other dependency, not an unexpected
   * error; so is one too busy to finish the statement in time (a lock or statement timeout, a
   * deadlock): the same request may well succeed when tried again.
   */
  private answerable(thrown: unknown): unknown {
    if (thrown instanceof HttpException || !isTransientDatabaseError(thrown)) return thrown;
    const state = isDatabaseUnavailable(thrown) ? 'unavailable' : 'too busy to answer in time';
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

/** Express-level errors (a body too large or not JSON) answered in the same shape. */
export function bodyParserErrorHandler(
  error: { status?: number; statusCode?: number; type?: string; message?: string },
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  const status = error.status ?? error.statusCode;
  if (!status || status >= 500) return next(error);
  const message =
    error.type === 'entity.too.large'
      ? 'request body is larger than the limit'
      : error.type === 'entity.parse.failed'
        ? 'request body is not valid JSON'
        : (error.message ?? 'bad request');
  response.status(status).json(errorBody(status, message));
}
