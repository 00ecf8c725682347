import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from '@petstore/dto';
import { BEARER_AUTH } from '../swagger';

/** Error answers of the pet operations, each in the one error shape; the message names the problem. */
export function ApiErrors(errors: Record<number, string>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorResponse })),
  );
}

/** A write only a store owner may make: the bearer scheme, and the 401/403 it answers otherwise. */
export function ApiStoreOwnerOnly(): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(BEARER_AUTH),
    ApiErrors({
      401: 'Missing, malformed, expired, forged or revoked token.',
      403: 'The caller is not a store owner.',
    }),
  );
}

export const INVALID_ID = 'Invalid ID supplied: the message names the parameter and the value.';
export const PET_NOT_FOUND = 'Pet not found.';
export const PET_SERVICE_DOWN = 'pet-service (or photo-service behind it) is unreachable; nothing was changed.';
