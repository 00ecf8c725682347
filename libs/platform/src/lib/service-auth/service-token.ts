import { JsonWebTokenError, JwtService, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import { AuthenticatedUser, Role } from '@petstore/dto';
import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { SERVICE_NAMES, ServiceName } from '../service-catalog';

/** ECDSA P-256: small keys and signatures, fast enough to sign one token per call. */
export const SERVICE_TOKEN_ALGORITHM = 'ES256';

/** A token is signed for one call: long enough for a slow callee, too short to be worth stealing. */
export const SERVICE_TOKEN_TTL_SECONDS = 60;

/** Clock drift between two machines that is still accepted. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** Where every service publishes the public key it signs its calls with. */
export const SERVICE_JWKS_PATH = '/.well-known/service-jwks.json';

/**
 * The claims of a call: `iss` and `sub` are the calling service, `aud` the called one; `user` is
 * the user the caller verified and acts for, absent when it acts on its own.
 */
export interface ServiceTokenClaims {
  iss: ServiceName;
  sub: ServiceName;
  aud: ServiceName;
  iat: number;
  exp: number;
  user?: AuthenticatedUser;
}

/** Who a verified service token says is calling. */
export interface VerifiedCall {
  service: ServiceName;
  user?: AuthenticatedUser;
}

export interface ServiceSigningKey {
  kid: string;
  privateKey: KeyObject;
}

const jwt = new JwtService();

/** A token for one call from `issuer` to `audience`, valid for `ttlSeconds` from `now`. */
export function signServiceToken(
  key: ServiceSigningKey,
  call: {
    issuer: ServiceName;
    audience: ServiceName;
    user?: AuthenticatedUser;
    now?: Date;
    ttlSeconds?: number;
  },
): string {
  const iat = Math.floor((call.now ?? new Date()).getTime() / 1000);
  const claims: ServiceTokenClaims = {
    iss: call.issuer,
    sub: call.issuer,
    aud: call.audience,
    iat,
    exp: iat + (call.ttlSeconds ?? SERVICE_TOKEN_TTL_SECONDS),
    ...(call.user
      ? {
          user: {
            id: call.user.id,
            username: call.user.username,
            roles: call.user.roles,
          },
        }
      : {}),
  };
  return jwt.sign(claims, {
    algorithm: SERVICE_TOKEN_ALGORITHM,
    privateKey: key.privateKey,
    keyid: key.kid,
  });
}

/** RFC 7638 thumbprint of an EC public key: the key id is derived from the key itself. */
function thumbprintOf(publicKey: KeyObject): string {
  const { crv, kty, x, y } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

/** A signing key and its id from an EC P-256 private key (a KeyObject or PEM); throws for any other kind. */
export function signingKeyOf(key: KeyObject | string): ServiceSigningKey & { publicKey: KeyObject } {
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('a service signing key must be an EC P-256 private key');
  }
  const publicKey = createPublicKey(privateKey);
  return { kid: thumbprintOf(publicKey), privateKey, publicKey };
}

export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as string[]).includes(value);
}

/** The unverified header, issuer and expiry, to find the key to verify with; undefined when it is no JWT. */
export function unverifiedIssuerOf(token: string): { kid?: unknown; iss?: unknown; exp?: unknown } | undefined {
  const decoded = jwt.decode<{
    header: { kid?: unknown };
    payload: { iss?: unknown; exp?: unknown };
  } | null>(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) return undefined;
  return { kid: decoded.header.kid, iss: decoded.payload.iss, exp: decoded.payload.exp };
}

/** Why a token failed verification, in words the caller's operator can act on. */
export class ServiceTokenRejection extends Error {}

const ROLES = Object.values(Role) as string[];

function userOf(claim: unknown): AuthenticatedUser | undefined {
  if (claim === undefined) return undefined;
  const user = claim as Partial<AuthenticatedUser> | null;
  const valid =
    typeof user === 'object' &&
    user !== null &&
    Number.isSafeInteger(user.id) &&
    (user.id as number) > 0 &&
    typeof user.username === 'string' &&
    Array.isArray(user.roles) &&
    user.roles.every((role) => ROLES.includes(role));
  if (!valid) throw new ServiceTokenRejection('the service token names a malformed user');
  return {
    id: user.id as number,
    username: user.username as string,
    roles: user.roles as Role[],
  };
}

/**
 * Verifies signature (ES256 only, the issuer's PEM public key), audience (`audience`), issuer, expiry and a
 * lifetime no longer than a call's; throws ServiceTokenRejection naming what is wrong.
 */
export function verifyServiceToken(token: string, publicKey: KeyObject, expected: { issuer: ServiceName; audience: ServiceName }): VerifiedCall {
  let claims: Partial<ServiceTokenClaims>;
  try {
    claims = jwt.verify<Partial<ServiceTokenClaims>>(token, {
      // jsonwebtoken 9 takes a KeyObject; @nestjs/jwt's types still say string or Buffer.
      publicKey: publicKey as unknown as Buffer,
      algorithms: [SERVICE_TOKEN_ALGORITHM],
      audience: expected.audience,
      issuer: expected.issuer,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
  } catch (error) {
    if (error instanceof TokenExpiredError) throw new ServiceTokenRejection('the service token has expired');
    if (error instanceof NotBeforeError) throw new ServiceTokenRejection('the service token is not valid yet');
    if (error instanceof JsonWebTokenError) throw new ServiceTokenRejection(`the service token is invalid: ${error.message}`);
    throw error;
  }
  if (!Number.isInteger(claims.exp) || !Number.isInteger(claims.iat)) throw new ServiceTokenRejection('the service token has no expiry');
  if ((claims.exp as number) - (claims.iat as number) > SERVICE_TOKEN_TTL_SECONDS) {
    throw new ServiceTokenRejection(`the service token lives longer than ${SERVICE_TOKEN_TTL_SECONDS} s`);
  }
  if (claims.sub !== expected.issuer) throw new ServiceTokenRejection('the service token names another subject than its issuer');
  return { service: expected.issuer, user: userOf(claims.user) };
}
