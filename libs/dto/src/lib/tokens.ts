import { Role } from './auth';

/** How user-service signs access tokens; the gateway accepts nothing else. */
export const TOKEN_ALGORITHM = 'RS256';
export const TOKEN_ISSUER = 'petstore-user-service';
export const TOKEN_AUDIENCE = 'petstore-api';
export const MAX_TOKEN_TTL_SECONDS = 3600;

/** Where user-service publishes its public signing keys (a JSON Web Key Set). */
export const JWKS_PATH = '/.well-known/jwks.json';

/** The caller's network address as the gateway saw it; user-service rate-limits logins by it. */
export const CLIENT_ADDRESS_HEADER = 'x-client-address';

/** The claims of every access token: `sub` is the user id, `ver` the user's token version. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  roles: Role[];
  ver: number;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

/** What user-service answers to a successful login. */
export interface IssuedToken {
  token: string;
  expiresAt: string;
  rateLimit: number;
}

/** The parts of a verified token user-service needs to tell whether it is still valid. */
export interface TokenReference {
  jti: string;
  sub: string;
  ver: number;
  exp: number;
}

/** Why a correctly signed, unexpired token no longer works. */
export enum InactiveTokenReason {
  /** The token itself was logged out. */
  LoggedOut = 'logged-out',
  /** Its user's username, password or roles changed since it was issued, or they logged out everywhere. */
  Superseded = 'superseded',
  /** Its user was deleted. */
  UserDeleted = 'user-deleted',
}

export interface TokenIntrospection {
  active: boolean;
  /** Present when the token is not active. */
  reason?: InactiveTokenReason;
}
