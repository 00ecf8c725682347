import { ExecutionContext, HttpException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AuthenticatedUser } from '@petstore/dto';
import { IS_PUBLIC } from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { JWT_STRATEGY } from './jwt.strategy';

/** Why passport-jwt refused a token, in words a client can act on. */
function reasonOf(info: unknown): string {
  const { name, message } = (info ?? {}) as { name?: string; message?: string };
  if (name === 'TokenExpiredError') return 'the token has expired';
  if (name === 'NotBeforeError') return 'the token is not valid yet';
  if (name === 'JsonWebTokenError') return `the token is invalid: ${message}`;
  return 'a bearer token is required';
}

/** Every route requires a valid token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic || context.getType() !== 'http') return true;
    return super.canActivate(context);
  }

  override handleRequest<T = AuthenticatedUser>(error: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
    if (user && !error) return user;
    const failure = error ?? (info instanceof HttpException ? info : new UnauthorizedException(reasonOf(info)));
    if (failure instanceof UnauthorizedException) {
      context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
    }
    throw failure;
  }
}
