import { HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthenticatedUser, InactiveTokenReason, JWKS_PATH, Role, TOKEN_AUDIENCE, TOKEN_ISSUER, TokenIntrospection } from '@petstore/dto';
import { ServiceClient, ServiceRequest } from '@petstore/platform';
import { createHmac, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { JwtStrategy } from './jwt.strategy';
import { PublicKeys } from './public-keys.service';
import { VERIFIED_TOKEN } from './verified-token.decorator';

const KID = 'key-1';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwt = new JwtService();

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '7',
    username: 'alice',
    roles: [Role.Customer],
    ver: 0,
    jti: randomUUID(),
    iat: now,
    exp: now + 600,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    ...overrides,
  };
}

function sign(payload: object, key: KeyObject = privateKey, kid = KID): string {
  return jwt.sign(payload, { algorithm: 'RS256', privateKey: key, keyid: kid });
}

function unsigned(header: object, payload: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  return `${encode(header)}.${encode(payload)}`;
}

type Outcome = { success: AuthenticatedUser } | { fail: unknown } | { error: unknown };

/** user-service as the strategy sees it: the JWKS and the introspection answer. */
function setUp({ introspection = { active: true } as TokenIntrospection, reachable = true } = {}) {
  const calls: ServiceRequest[] = [];
  const users = {
    json: jest.fn(async (request: ServiceRequest) => {
      calls.push(request);
      if (!reachable) throw new HttpException('user-service is unreachable', HttpStatus.SERVICE_UNAVAILABLE);
      if (request.path === JWKS_PATH) return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };
      return introspection;
    }),
  } as unknown as ServiceClient;
  const strategy = new JwtStrategy(new PublicKeys(users), users);
  const authenticate = (token?: string) =>
    new Promise<{ outcome: Outcome; request: Record<string, unknown> }>((resolve) => {
      const request = { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } } as Record<string, unknown>;
      const passport = strategy as unknown as Record<string, (value: unknown) => void> & { authenticate(request: unknown): void };
      passport.success = (user) => resolve({ outcome: { success: user as AuthenticatedUser }, request });
      passport.fail = (info) => resolve({ outcome: { fail: info }, request });
      passport.error = (error) => resolve({ outcome: { error }, request });
      passport.authenticate(request);
    });
  return { authenticate, calls, users };
}

describe('JwtStrategy', () => {
  it('accepts a token signed by user-service and still active, as the user it names', async () => {
    const { authenticate, calls } = setUp();
    const payload = claims();
    const { outcome, request } = await authenticate(sign(payload));
    expect(outcome).toEqual({ success: { id: 7, username: 'alice', roles: [Role.Customer] } });
    expect(request[VERIFIED_TOKEN]).toEqual({ jti: payload.jti, sub: '7', ver: 0, exp: payload.exp });
    expect(calls.map((call) => call.path)).toEqual([JWKS_PATH, '/tokens/introspect']);
  });

  it('fetches the keys once and reuses them', async () => {
    const { authenticate, calls } = setUp();
    await authenticate(sign(claims()));
    await authenticate(sign(claims()));
    expect(calls.filter((call) => call.path === JWKS_PATH)).toHaveLength(1);
  });

  it.each([
    ['no token', undefined, 'No auth token'],
    ['a malformed token', 'not-a-jwt', 'the token is malformed'],
    ['an unsigned token (alg: none)', `${unsigned({ alg: 'none', kid: KID }, claims())}.`, 'the token is not signed with RS256'],
    [
      'an HS256 token keyed with the public key',
      (() => {
        const data = unsigned({ alg: 'HS256', typ: 'JWT', kid: KID }, claims());
        const secret = publicKey.export({ format: 'pem', type: 'spki' }) as string;
        return `${data}.${createHmac('sha256', secret).update(data).digest('base64url')}`;
      })(),
      'the token is not signed with RS256',
    ],
    ['a token signed with another key', sign(claims(), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey), 'invalid signature'],
    ['a token naming an unknown key', sign(claims(), privateKey, 'key-2'), 'the token was not signed by a known key'],
    ['an expired token', sign(claims({ iat: 1000, exp: 2000 })), 'jwt expired'],
    ['a token for another audience', sign(claims({ aud: 'elsewhere' })), 'jwt audience invalid. expected: petstore-api'],
    ['a token from another issuer', sign(claims({ iss: 'elsewhere' })), 'jwt issuer invalid. expected: petstore-user-service'],
  ])('refuses %s', async (_case, token, reason) => {
    const { authenticate } = setUp();
    const { outcome } = await authenticate(token);
    expect(outcome).toEqual({ fail: expect.objectContaining({ message: reason }) });
  });

  it('refuses a signed token without the claims of an access token', async () => {
    const { authenticate } = setUp();
    const { outcome } = await authenticate(sign(claims({ roles: ['admin'] })));
    expect(outcome).toEqual({ error: new UnauthorizedException('the token lacks the claims of an access token') });
  });

  it.each([
    [InactiveTokenReason.LoggedOut, 'the token has been revoked'],
    [InactiveTokenReason.Superseded, "the token was issued before its user's username, password or roles changed"],
    [InactiveTokenReason.UserDeleted, "the token's user no longer exists"],
    [undefined, 'the token has been revoked'],
  ])('refuses a token user-service no longer accepts (%s), saying why', async (reason, message) => {
    const { authenticate } = setUp({ introspection: { active: false, reason } });
    const { outcome } = await authenticate(sign(claims()));
    expect(outcome).toEqual({ error: expect.any(UnauthorizedException) });
    expect((outcome as { error: Error }).error.message).toContain(message);
  });

  it('answers 503, not 401, while user-service cannot be asked, and works once it can', async () => {
    const { authenticate, users } = setUp({ reachable: false });
    const token = sign(claims());
    const { outcome } = await authenticate(token);
    expect(outcome).toEqual({ fail: expect.objectContaining({ status: HttpStatus.SERVICE_UNAVAILABLE }) });
    (users.json as jest.Mock).mockImplementation(async (request: ServiceRequest) =>
      request.path === JWKS_PATH ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256' }] } : { active: true },
    );
    expect((await authenticate(token)).outcome).toEqual({ success: expect.objectContaining({ id: 7 }) });
  });
});
