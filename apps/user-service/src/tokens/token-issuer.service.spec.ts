import { JwtService } from '@nestjs/jwt';
import { Role, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@petstore/dto';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { AuthConfig } from '../app/auth.config';
import { UserRecord } from '../users/user-record';
import { SigningKeys } from './signing-keys.service';
import { TokenIssuer } from './token-issuer.service';

const TTL_SECONDS = 900;

describe('TokenIssuer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = { active: { kid: 'key-1', privateKey, publicKey } } as unknown as SigningKeys;
  const issuer = new TokenIssuer(keys, { tokenTtlSeconds: TTL_SECONDS } as AuthConfig);
  const jwt = new JwtService();
  const user = { id: '42', username: 'alice', roles: [Role.Customer], tokenVersion: 3 } as UserRecord;
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const verifyOptions = { publicKey: publicPem, algorithms: ['RS256' as const], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE };

  it('signs RS256 tokens naming the key, carrying the user id, username, roles, version, an id and the expiry', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { token, expiresAt } = await issuer.issue(user);
    const { header } = jwt.decode(token, { complete: true }) as { header: Record<string, unknown> };
    expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-1' });
    const claims = jwt.verify(token, verifyOptions);
    expect(claims).toEqual({
      sub: '42',
      username: 'alice',
      roles: ['customer'],
      ver: 3,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: expect.any(Number),
      exp: claims.iat + TTL_SECONDS,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(expiresAt.getTime()).toBe(claims.exp * 1000);
  });

  it('gives every token its own id', async () => {
    const [a, b] = await Promise.all([issuer.issue(user), issuer.issue(user)]);
    expect(jwt.decode(a.token).jti).not.toBe(jwt.decode(b.token).jti);
  });

  it('issues tokens that fail verification with another key, once altered, or once expired', async () => {
    const { token } = await issuer.issue(user);
    const stranger = createPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).export({
      format: 'pem',
      type: 'spki',
    }) as string;
    expect(() => jwt.verify(token, { ...verifyOptions, publicKey: stranger })).toThrow('invalid signature');
    const [header, payload, signature] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['storeOwner'] })).toString(
      'base64url',
    );
    expect(() => jwt.verify(`${header}.${altered}.${signature}`, verifyOptions)).toThrow('invalid signature');
    const later = Math.floor(Date.now() / 1000) + TTL_SECONDS + 1;
    expect(() => jwt.verify(token, { ...verifyOptions, clockTimestamp: later })).toThrow('jwt expired');
  });
});
