import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '@petstore/dto';
import { BEARER_AUTH } from '../swagger';

/** Error answers of a store operation, each in the one error shape; the message names the problem. */
export function ApiErrors(errors: Record<number, string>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorResponse })),
  );
}

/** Any logged-in caller: the bearer scheme and the 401 without a valid token. */
export function ApiLoggedIn(): MethodDecorator {
  return applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiErrors({ 401: 'Missing, malformed, expired, forged or revoked token.' }));
}

/** Store owners only: the bearer scheme, and the 401/403 it answers otherwise. */
export function ApiStoreOwnerOnly(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(BEARER_AUTH),
    ApiErrors({
      401: 'Missing, malformed, expired, forged or revoked token.',
      403: 'The caller is not a store owner.',
    }),
  );
}

export const ORDER_ID = { name: 'orderId', schema: { type: 'integer', format: 'int64', minimum: 1 } } as const;
export const INVALID_ID = 'Invalid ID supplied: the message names the parameter and the value.';
export const ORDER_NOT_FOUND =
  'Order not found: no such order, a cancelled one, one still being confirmed, or (for a customer) somebody else\'s order. ' +
  'Another customer\'s order answers 404, not 403, so order ids reveal nothing.';
export const ORDER_SERVICE_DOWN = 'order-service is unreachable; nothing was changed.';
