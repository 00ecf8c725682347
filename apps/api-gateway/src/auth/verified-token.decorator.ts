import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { TokenReference } from '@petstore/dto';

export const VERIFIED_TOKEN = 'verifiedToken';

/** The id and expiry of the token the caller presented, once verified (for logout). */
export const VerifiedToken = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TokenReference => context.switchToHttp().getRequest()[VERIFIED_TOKEN],
);
