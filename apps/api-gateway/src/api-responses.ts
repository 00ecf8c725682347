import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiResponseOptions } from '@nestjs/swagger';
import { ErrorResponse } from '@petstore/dto';
import { BEARER_AUTH } from './swagger';

/** An error answer's description, and the headers it carries when it has any (Retry-After). */
export type ApiError = string | { description: string; headers: ApiResponseOptions['headers'] };

/** Error answers of an operation, each in the one error shape; the message names the problem. */
export function ApiErrors(errors: Record<number, ApiError>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, error]) =>
      ApiResponse({ status: Number(status), type: ErrorResponse, ...(typeof error === 'string' ? { description: error } : error) }),
    ),
  );
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
