import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedUser, Role } from '@petstore/dto';
import { ROLES } from './roles.decorator';

/** A route marked @Roles(...) admits only callers holding one of them; others get 403. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length || context.getType() !== 'http') return true;
    const user: AuthenticatedUser | undefined = context.switchToHttp().getRequest().user;
    if (!user) throw new UnauthorizedException('a bearer token is required');
    if (roles.some((role) => user.roles.includes(role))) return true;
    throw new ForbiddenException(`this operation requires the ${roles.join(' or ')} role`);
  }
}
