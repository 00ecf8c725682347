import { HttpException, HttpStatus } from '@nestjs/common';
import { errorBody } from '@petstore/platform';

export class TooManyLoginAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      errorBody(
        HttpStatus.TOO_MANY_REQUESTS,
        `too many login attempts for this username from this client; retry after ${retryAfterSeconds} seconds`,
      ),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
