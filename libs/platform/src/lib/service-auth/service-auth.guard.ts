import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { IS_PUBLIC } from '../public.decorator';
import { requestLineOf } from '../request-line';
import { ServiceName } from '../service-catalog';
import { CALL_POLICY, CallPolicy } from './call-policy';
import { CallerKeys } from './caller-keys';
import { isServiceName, ServiceTokenRejection, unverifiedIssuerOf, VerifiedCall, verifyServiceToken } from './service-token';

export const VERIFIED_CALL = Symbol('verifiedCall');

/** How many verified tokens are remembered: callers reuse a token for a while (ServiceIdentity), so few are live at once. */
const REMEMBERED_TOKENS = 10_000;

/** The verified call a guarded request carries. */
export function verifiedCallOf(request: FastifyRequest): VerifiedCall | undefined {
  return (request as unknown as Record<symbol, VerifiedCall | undefined>)[VERIFIED_CALL];
}

function bearerOf(request: FastifyRequest): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/**
 * Every HTTP route of a service answers only a caller that proves who it is: a service token
 * signed by a service its call policy names, for this service (audience), unexpired, and on
 * behalf of a user only where the policy allows it, with a role it requires. A route with no
 * policy is refused (fail closed); @Public() routes (/health, the JWKS) are open. 401 when the
 * token is missing or fails verification, 403 when a verified caller is not allowed.
 */
@Injectable()
export class ServiceAuthGuard implements CanActivate {
  /** Tokens already verified, until they expire: an ECDSA verification costs more than the call it guards. */
  private readonly verified = new LRUCache<string, VerifiedCall>({ max: REMEMBERED_TOKENS });

  constructor(
    private readonly service: ServiceName,
    private readonly keys: CallerKeys,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = requestLineOf(request);
    const policy = this.reflector.getAllAndOverride<CallPolicy | undefined>(CALL_POLICY, targets);
    if (!policy) throw new ForbiddenException(`no service may call ${route} on ${this.service}`);
    try {
      const call = await this.verify(bearerOf(request), policy, route);
      this.authorize(call, policy, route);
      (request as unknown as Record<symbol, VerifiedCall>)[VERIFIED_CALL] = call;
      return true;
    } catch (error) {
      if (error instanceof UnauthorizedException) context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
      throw error;
    }
  }

  private async verify(token: string | undefined, policy: CallPolicy, route: string): Promise<VerifiedCall> {
    if (!token) throw new UnauthorizedException(`${route} on ${this.service} takes a service token from ${policy.callers.join(' or ')}`);
    const remembered = this.verified.get(token);
    if (remembered) {
      this.assertAllowedCaller(remembered.service, policy, route);
      return remembered;
    }
    const unverified = unverifiedIssuerOf(token);
    if (!unverified) throw new UnauthorizedException('the service token is malformed');
    if (!isServiceName(unverified.iss)) throw new UnauthorizedException('the service token is not issued by a service of this system');
    const issuer = unverified.iss;
    this.assertAllowedCaller(issuer, policy, route);
    const key = await this.keys.keyOf(issuer, unverified.kid);
    try {
      const call = verifyServiceToken(token, key, { issuer, audience: this.service });
      const lifeLeftMs = (unverified.exp as number) * 1000 - Date.now();
      if (lifeLeftMs > 0) this.verified.set(token, call, { ttl: lifeLeftMs });
      return call;
    } catch (error) {
      if (error instanceof ServiceTokenRejection) throw new UnauthorizedException(error.message);
      throw error;
    }
  }

  private assertAllowedCaller(issuer: ServiceName, policy: CallPolicy, route: string): void {
    if (!policy.callers.includes(issuer)) throw new ForbiddenException(`${issuer} may not call ${route} on ${this.service}`);
  }

  private authorize({ service, user }: VerifiedCall, policy: CallPolicy, route: string): void {
    if (policy.user === 'none' && user) {
      throw new ForbiddenException(`${route} on ${this.service} is for ${policy.callers.join(' or ')} alone, not on behalf of a user`);
    }
    if (policy.user === 'required' && !user)
      throw new UnauthorizedException(`${route} on ${this.service} takes a signed-in user; ${service} named none`);
    if (user && policy.roles.length > 0 && !policy.roles.some((role) => user.roles.includes(role))) {
      throw new ForbiddenException(`${route} on ${this.service} is for ${policy.roles.join(' or ')} only`);
    }
  }
}
