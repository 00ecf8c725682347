import { ExecutionContext, HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public } from '@petstore/platform';
import { JwtAuthGuard } from './jwt-auth.guard';

class Routes {
  @Public()
  open() {
    return undefined;
  }
}

function context(response = { header: jest.fn() }): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype.open,
    getClass: () => Routes,
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers: {} }) }),
  } as unknown as ExecutionContext;
}

describe('JwtAuthGuard', () => {
  const guard = new JwtAuthGuard(new Reflector());

  it('lets anyone through a @Public() route', () => {
    expect(guard.canActivate(context())).toBe(true);
  });

  it.each([
    [{ name: 'TokenExpiredError', message: 'jwt expired' }, 'the token has expired'],
    [{ name: 'JsonWebTokenError', message: 'invalid signature' }, 'the token is invalid: invalid signature'],
    [new Error('No auth token'), 'a bearer token is required'],
  ])('answers 401 with a reason and a Bearer challenge for %p', (info, message) => {
    const response = { header: jest.fn() };
    expect(() => guard.handleRequest(null, false, info, context(response))).toThrow(new UnauthorizedException(message));
    expect(response.header).toHaveBeenCalledWith('www-authenticate', 'Bearer');
  });

  it('passes on a 503 from user-service without a challenge', () => {
    const response = { header: jest.fn() };
    const unavailable = new HttpException('user-service is unreachable', HttpStatus.SERVICE_UNAVAILABLE);
    expect(() => guard.handleRequest(null, false, unavailable, context(response))).toThrow(unavailable);
    expect(response.header).not.toHaveBeenCalled();
  });

  it('returns the verified user', () => {
    const user = { id: 1, username: 'owner', roles: [] };
    expect(guard.handleRequest(null, user, undefined, context())).toBe(user);
  });
});
