import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser, callerFromHeaders } from '@petstore/dto';
import type { Request } from 'express';

/** The caller the gateway verified, from the headers it forwards; undefined for an anonymous call. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined =>
    callerFromHeaders(context.switchToHttp().getRequest<Request>().headers),
);
