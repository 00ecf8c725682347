import { Controller, ExecutionContext, ForbiddenException, Get, HttpException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthenticatedUser, Role } from '@petstore/dto';
import { generateKeyPairSync } from 'node:crypto';
import { Public } from '../public.decorator';
import { ServiceName } from '../service-catalog';
import { ServiceClient } from '../service-client';
import { ForAnyone, ForSignedInUser, ServiceOnly } from './call-policy';
import { CallerKeys } from './caller-keys';
import { ServiceAuthGuard, verifiedCallOf } from './service-auth.guard';
import { ServiceIdentity } from './service-identity';
import { signingKeyOf, signServiceToken } from './service-token';

@ForSignedInUser(Role.StoreOwner)
@Controller('pets')
class PetsStandIn {
  @ForAnyone() @Get() find() {
    return 'find';
  }
  @Get('write') write() {
    return 'write';
  }
  @ServiceOnly('order-service') @Get('reserve') reserve() {
    return 'reserve';
  }
  @Public() @Get('health') health() {
    return 'health';
  }
}

@Controller('forgotten')
class NoPolicy {
  @Get() route() {
    return 'route';
  }
}

const owner: AuthenticatedUser = {
  id: 1,
  username: 'owner',
  roles: [Role.StoreOwner],
};
const customer: AuthenticatedUser = {
  id: 2,
  username: 'alice',
  roles: [Role.Customer],
};

describe('ServiceAuthGuard', () => {
  const gateway = new ServiceIdentity('api-gateway');
  const ordersKey = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const orders = new ServiceIdentity('order-service', ordersKey);
  const impostor = new ServiceIdentity('order-service');
  const identities: Partial<Record<ServiceName, ServiceIdentity>> = {
    'api-gateway': gateway,
    'order-service': orders,
  };
  const jwksFetches: ServiceName[] = [];
  const keys = new CallerKeys(
    (caller) =>
      ({
        json: async () => {
          jwksFetches.push(caller);
          return identities[caller]?.jwks() ?? { keys: [] };
        },
      }) as unknown as ServiceClient,
  );
  const guard = new ServiceAuthGuard('pet-service', keys, new Reflector());

  function contextOf(handler: keyof PetsStandIn | 'route', token?: string, type = 'http'): { context: ExecutionContext; request: object } {
    const request = {
      method: 'GET',
      url: `/pets/${handler}?limit=1`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    };
    const response = { header: jest.fn() };
    const target = handler === 'route' ? NoPolicy : PetsStandIn;
    const context = new ExecutionContextHost([request, response], target, (target.prototype as unknown as Record<string, () => void>)[handler]);
    context.setType(type);
    return { context, request };
  }

  async function refusal(handler: keyof PetsStandIn | 'route', token?: string): Promise<HttpException> {
    const error = await guard.canActivate(contextOf(handler, token).context).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof HttpException)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error;
  }

  it('lets a caller the policy names through, with the user it acts for', async () => {
    const { context, request } = contextOf('write', gateway.tokenFor('pet-service', owner));
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(verifiedCallOf(request as never)).toEqual({
      service: 'api-gateway',
      user: owner,
    });
  });

  it('lets anyone through the gateway to a route for anyone, signed in or not', async () => {
    await expect(guard.canActivate(contextOf('find', gateway.tokenFor('pet-service')).context)).resolves.toBe(true);
  });

  it('keeps /health and other public routes, and Kafka handlers, open', async () => {
    await expect(guard.canActivate(contextOf('health').context)).resolves.toBe(true);
    await expect(guard.canActivate(contextOf('write', undefined, 'rpc').context)).resolves.toBe(true);
  });

  it('answers 401 naming the callers a route takes when there is no token', async () => {
    const error = await refusal('reserve');
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toBe('GET /pets/reserve on pet-service takes a service token from order-service');
  });

  it('refuses a route that names no policy, whoever calls', async () => {
    expect(await refusal('route', gateway.tokenFor('pet-service', owner))).toBeInstanceOf(ForbiddenException);
  });

  it('answers 401 for a token signed for another service, expired, or signed by another key', async () => {
    expect((await refusal('reserve', orders.tokenFor('user-service'))).message).toMatch(/^the service token is invalid: jwt audience invalid/);
    const expired = signServiceToken(signingKeyOf(ordersKey), {
      issuer: 'order-service',
      audience: 'pet-service',
      now: new Date(Date.now() - 120_000),
    });
    expect((await refusal('reserve', expired)).message).toBe('the service token has expired');
    expect((await refusal('reserve', impostor.tokenFor('pet-service'))).message).toBe('the service token was not signed by a key of order-service');
    expect(await refusal('reserve', 'not.a.token')).toBeInstanceOf(UnauthorizedException);
  });

  it('answers 401 for a token that lives longer than one call', async () => {
    const longLived = signServiceToken(signingKeyOf(ordersKey), {
      issuer: 'order-service',
      audience: 'pet-service',
      ttlSeconds: 3600,
    });
    expect((await refusal('reserve', longLived)).message).toBe('the service token lives longer than 60 s');
  });

  it('answers 403 when a verified service may not call the route', async () => {
    const error = await refusal('reserve', gateway.tokenFor('pet-service'));
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(error.message).toBe('api-gateway may not call GET /pets/reserve on pet-service');
  });

  it('answers 403 when a service-only route is called on behalf of a user', async () => {
    const error = await refusal('reserve', orders.tokenFor('pet-service', owner));
    expect(error.message).toBe('GET /pets/reserve on pet-service is for order-service alone, not on behalf of a user');
  });

  it('answers 403 when the user lacks the role the route takes, and 401 when there is no user', async () => {
    expect((await refusal('write', gateway.tokenFor('pet-service', customer))).message).toBe('GET /pets/write on pet-service is for storeOwner only');
    expect(await refusal('write', gateway.tokenFor('pet-service'))).toBeInstanceOf(UnauthorizedException);
  });

  it("checks the route's policy again for a token it verified before", async () => {
    const token = gateway.tokenFor('pet-service');
    await expect(guard.canActivate(contextOf('find', token).context)).resolves.toBe(true);
    expect((await refusal('reserve', token)).message).toBe('api-gateway may not call GET /pets/reserve on pet-service');
    expect(await refusal('write', token)).toBeInstanceOf(UnauthorizedException);
  });

  it("reuses a caller's token per callee and user, never across them", () => {
    const token = gateway.tokenFor('pet-service', owner);
    expect(gateway.tokenFor('pet-service', owner)).toBe(token);
    expect(gateway.tokenFor('pet-service', customer)).not.toBe(token);
    expect(gateway.tokenFor('pet-service', { ...owner, roles: [Role.Customer] })).not.toBe(token);
    expect(gateway.tokenFor('order-service', owner)).not.toBe(token);
    expect(gateway.tokenFor('pet-service')).not.toBe(token);
  });

  it('does not fetch the keys of a service the route does not take calls from', async () => {
    jwksFetches.length = 0;
    await refusal('reserve', new ServiceIdentity('photo-service').tokenFor('pet-service'));
    expect(jwksFetches).toEqual([]);
  });
});
