import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { authConfig, AuthConfig } from '../app/auth.config';
import { UserRecord } from '../users/user-record';
import { SigningKeys } from './signing-keys.service';

export interface Token {
  token: string;
  expiresAt: Date;
}

/** Signs access tokens with the private key; nothing else in the system can. */
@Injectable()
export class TokenIssuer {
  private readonly jwt = new JwtService();

  constructor(
    private readonly keys: SigningKeys,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async issue(user: UserRecord): Promise<Token> {
    const { kid, privateKey } = this.keys.active;
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessTokenClaims = {
      sub: String(user.id),
      username: user.username,
      roles: user.roles,
      ver: user.tokenVersion,
      jti: randomUUID(),
      iat,
      exp: iat + this.config.tokenTtlSeconds,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    };
    const token = await this.jwt.signAsync(claims, { algorithm: TOKEN_ALGORITHM, privateKey, keyid: kid });
    return { token, expiresAt: new Date(claims.exp * 1000) };
  }
}
