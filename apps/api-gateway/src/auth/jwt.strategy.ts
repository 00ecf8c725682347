import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import {
  AccessTokenClaims,
  AuthenticatedUser,
  InactiveTokenReason,
  Role,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TokenIntrospection,
  TokenReference,
} from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { PublicKeys } from './public-keys.service';
import { VERIFIED_TOKEN } from './verified-token.decorator';

export const JWT_STRATEGY = 'jwt';

const ROLES = Object.values(Role) as string[];

/** The 401 for a token user-service no longer accepts, saying why, so its holder knows whether to log in again. */
const INACTIVE_TOKEN: Record<InactiveTokenReason, string> = {
  [InactiveTokenReason.LoggedOut]: 'the token has been revoked',
  [InactiveTokenReason.Superseded]:
    "the token was issued before its user's username, password or roles changed, or before they logged out everywhere; log in again",
  [InactiveTokenReason.UserDeleted]: "the token's user no longer exists: it was deleted",
};

function hasExpectedClaims(claims: Partial<AccessTokenClaims>): claims is AccessTokenClaims {
  return (
    typeof claims.sub === 'string' &&
    /^[1-9]\d{0,15}$/.test(claims.sub) &&
    typeof claims.username === 'string' &&
    Array.isArray(claims.roles) &&
    claims.roles.every((role) => ROLES.includes(role)) &&
    Number.isInteger(claims.ver) &&
    typeof claims.jti === 'string' &&
    Number.isInteger(claims.exp)
  );
}

/**
 * Verifies the bearer token: RS256 only, signed by user-service's key, right issuer and
 * audience, not expired; then asks user-service whether it is still active (not logged out,
 * its user not deleted, renamed or given other roles since).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    keys: PublicKeys,
    @InjectServiceClient('user-service') private readonly users: ServiceClient,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken 9 takes a KeyObject; passport-jwt's types still say string or Buffer.
      secretOrKeyProvider: (_request: FastifyRequest, rawToken: string, done: (error: unknown, key?: string | Buffer) => void) => {
        keys.keyFor(rawToken).then(
          (key) => done(null, key as unknown as Buffer),
          (error) => done(error),
        );
      },
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      passReqToCallback: true,
    });
  }

  async validate(request: FastifyRequest, claims: Partial<AccessTokenClaims>): Promise<AuthenticatedUser> {
    if (!hasExpectedClaims(claims)) throw new UnauthorizedException('the token lacks the claims of an access token');
    const token: TokenReference = { jti: claims.jti, sub: claims.sub, ver: claims.ver, exp: claims.exp };
    const { active, reason } = await this.users.json<TokenIntrospection>({ method: 'POST', path: '/tokens/introspect', json: token });
    if (!active) throw new UnauthorizedException(INACTIVE_TOKEN[reason ?? InactiveTokenReason.LoggedOut]);
    (request as unknown as Record<string, unknown>)[VERIFIED_TOKEN] = token;
    return { id: Number(claims.sub), username: claims.username, roles: claims.roles };
  }
}
