import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrlOf } from '../support/databases';

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

export function decodeToken(token: string): JwtParts {
  const [header, claims] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, claims };
}

/** A JWT built by hand: RS256 with any private key, HS256 with any secret, or unsigned (`alg: none`). */
export function forgeToken({ header, claims }: JwtParts, key?: KeyObject | string): string {
  const data = `${encode(header)}.${encode(claims)}`;
  if (header['alg'] === 'none') return `${data}.`;
  if (header['alg'] === 'HS256') return `${data}.${createHmac('sha256', key as string).update(data).digest('base64url')}`;
  return `${data}.${sign('sha256', Buffer.from(data), key as KeyObject | string).toString('base64url')}`;
}

export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/**
 * user-service's real key pair, read from user_db the way only user-service itself should: the
 * suite needs it to build tokens that are correctly signed yet expired or carrying other claims.
 */
export async function userServiceKeys(): Promise<{ privateKey: string; publicKey: string }> {
  const client = new Client({ connectionString: databaseUrlOf('user-service') });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT private_key, public_key FROM signing_keys ORDER BY created_at DESC LIMIT 1');
    return { privateKey: rows[0].private_key, publicKey: rows[0].public_key };
  } finally {
    await client.end();
  }
}
