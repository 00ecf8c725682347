import { HttpStatus } from '@nestjs/common';
import { RetryLaterException } from '@petstore/platform';

export class TooManyLoginAttemptsException extends RetryLaterException {
  constructor(limited: string, retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, `too many login attempts ${limited}; retry after ${retryAfterSeconds} seconds`, retryAfterSeconds);
  }
}
