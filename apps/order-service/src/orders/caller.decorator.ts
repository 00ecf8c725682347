import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AuthenticatedUser, callerFromHeaders } from '@petstore/dto';
import type { Request } from 'express';

/** The caller the gateway verified and forwarded as headers; every order endpoint needs one. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const caller = callerFromHeaders(context.switchToHttp().getRequest<Request>().headers);
  if (!caller) throw new UnauthorizedException('the caller is not identified; call order-service through the gateway');
  return caller;
});
