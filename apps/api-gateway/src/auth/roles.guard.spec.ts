import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedUser, Role } from '@petstore/dto';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

class Routes {
  @Roles(Role.StoreOwner)
  storeOwnerOnly() {
    return undefined;
  }

  anyLogin() {
    return undefined;
  }
}

function contextFor(handler: keyof Routes, user?: AuthenticatedUser): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user }) }),
  } as unknown as ExecutionContext;
}

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());
  const customer = { id: 2, username: 'alice', roles: [Role.Customer] };
  const owner = { id: 1, username: 'owner', roles: [Role.StoreOwner] };

  it('lets any authenticated caller through a route without @Roles', () => {
    expect(guard.canActivate(contextFor('anyLogin', customer))).toBe(true);
  });

  it('lets a caller holding the role through', () => {
    expect(guard.canActivate(contextFor('storeOwnerOnly', owner))).toBe(true);
  });

  it('refuses an authenticated caller without the role with 403, and an anonymous one with 401', () => {
    expect(() => guard.canActivate(contextFor('storeOwnerOnly', customer))).toThrow(
      new ForbiddenException('this operation requires the storeOwner role'),
    );
    expect(() => guard.canActivate(contextFor('storeOwnerOnly'))).toThrow(UnauthorizedException);
  });
});
