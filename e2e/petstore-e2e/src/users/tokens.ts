import { createHmac, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { TEST_USER_SERVICE_TOKEN_KEY } from '../support/service-identity-keys';

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

export function decodeToken(token: string): JwtParts {
  const [header, claims] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, claims };
}

/** A JWT built by hand: RS256 with any private key, HS256 with any secret, or unsigned (`alg: none`). */
export function forgeToken({ header, claims }: JwtParts, key?: KeyObject | string): string {
  const data = `${encode(header)}.${encode(claims)}`;
  if (header['alg'] === 'none') return `${data}.`;
  if (header['alg'] === 'HS256')
    return `${data}.${createHmac('sha256', key as string)
      .update(data)
      .digest('base64url')}`;
  return `${data}.${sign('sha256', Buffer.from(data), key as KeyObject | string).toString('base64url')}`;
}

export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/**
 * user-service's key pair: the suite gives it JWT_PRIVATE_KEY, so it can build tokens that are
 * correctly signed yet expired or carrying other claims.
 */
export function userServiceKeys(): { privateKey: string; publicKey: string } {
  const publicKey = createPublicKey(TEST_USER_SERVICE_TOKEN_KEY).export({ format: 'pem', type: 'spki' }) as string;
  return { privateKey: TEST_USER_SERVICE_TOKEN_KEY, publicKey };
}
