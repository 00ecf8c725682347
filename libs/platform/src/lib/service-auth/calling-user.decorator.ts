import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser } from '@petstore/dto';
import type { FastifyRequest } from 'fastify';
import { verifiedCallOf } from './service-auth.guard';

/** The user the calling service verified and acts for, from its verified token; undefined when none. */
export const CallingUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined =>
    verifiedCallOf(context.switchToHttp().getRequest<FastifyRequest>())?.user,
);
