import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, ApiResponseOptions, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponse } from '@petstore/dto';
import { errorBody, IDEMPOTENCY_KEY_RETENTION_SECONDS, IDEMPOTENCY_KEY_WAIT_MS, MAX_IDEMPOTENCY_KEY_LENGTH, Public } from '@petstore/platform';
import { BEARER_AUTH } from './swagger';

/** An error answer: what it means, and the headers it carries if any. */
export type ApiError = string | { description: string; headers: ApiResponseOptions['headers'] };

/**
 * Error answers of an operation (or of every operation of a controller), each in the one error
 * shape with its own example, so Swagger UI shows each status as it is answered. Always JSON,
 * whatever the operation answers on success (an image, say).
 */
export function ApiErrors(errors: Record<number, ApiError>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ...Object.entries(errors).map(([code, error]) => {
      const status = Number(code);
      const { description, headers } = typeof error === 'string' ? { description: error, headers: undefined } : error;
      const content = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) }, example: errorBody(status, description) } };
      return ApiResponse({ status, description, headers, content });
    }),
  );
}

/** Anyone, without a token: @Public() for the guard, and an empty security requirement in the document. */
export function ApiPublic(): MethodDecorator {
  // An undefined summary is dropped, so only `security` merges into the operation, before or after its @ApiOperation.
  return applyDecorators(Public(), ApiOperation({ summary: undefined, security: [] }));
}

const UNAUTHORIZED = 'Missing, malformed, expired, forged or revoked token.';

/** Any logged-in caller: the bearer scheme and the 401 without a valid token. */
export function ApiLoggedIn(): MethodDecorator {
  return applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiErrors({ 401: UNAUTHORIZED }));
}

/** Store owners only: the bearer scheme, and the 401/403 it answers otherwise. */
export function ApiStoreOwnerOnly(): MethodDecorator {
  return applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiErrors({ 401: UNAUTHORIZED, 403: 'The caller is not a store owner.' }));
}

export const INVALID_ID = 'Invalid ID supplied: the message names the parameter and the value.';

const IDEMPOTENCY_KEY_RETENTION_HOURS = IDEMPOTENCY_KEY_RETENTION_SECONDS / 3600;

/**
 * The optional `Idempotency-Key` of a write a client may send again: the same key and request
 * within the retention get the first answer, and the write is made once.
 */
export function ApiIdempotencyKey(): MethodDecorator {
  return ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      `A key the client chose for this request (a UUID is a good one). Sent again with the same key and request (its path, parameters and body) within ${IDEMPOTENCY_KEY_RETENTION_HOURS} hours, ` +
      'after a timeout or a lost answer, the request answers what the first one did and changes nothing more. ' +
      `Sent while the first is still being processed, it waits for it up to ${IDEMPOTENCY_KEY_WAIT_MS / 1000} s, then is refused with 409.`,
    schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  });
}

export const IDEMPOTENCY_KEY_REUSED = 'The Idempotency-Key was sent before with a different request.';

export const IDEMPOTENCY_KEY_IN_USE = 'A request under the same Idempotency-Key is still being processed: send this one again once it is answered.';
