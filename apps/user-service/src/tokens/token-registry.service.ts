import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InactiveTokenReason, TokenIntrospection, TokenReference } from '@petstore/dto';
import { PurgesExpired } from '@petstore/platform/database';
import { DataSource } from 'typeorm';

/** Which verified tokens are still good: not logged out, and their user unchanged since issue. */
@Injectable()
export class TokenRegistry {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async revoke(token: TokenReference): Promise<void> {
    await this.dataSource.query(`INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, to_timestamp($2)) ON CONFLICT (jti) DO NOTHING`, [
      token.jti,
      token.exp,
    ]);
  }

  /**
   * Active when its user still exists at the token version it was issued at (the same username,
   * password and roles, no log-out everywhere since) and it was not revoked; else why not, so the
   * holder learns, for one, that the user their token named is gone (a self-deletion sent again).
   */
  async introspect(token: TokenReference): Promise<TokenIntrospection> {
    const [user]: { tokenVersion: number; revoked: boolean }[] = await this.dataSource.query(
      `SELECT u.token_version AS "tokenVersion", EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS revoked
         FROM users u WHERE u.id = $1`,
      [token.sub, token.jti],
    );
    if (!user) return { active: false, reason: InactiveTokenReason.UserDeleted };
    if (user.revoked) return { active: false, reason: InactiveTokenReason.LoggedOut };
    if (user.tokenVersion !== token.ver) return { active: false, reason: InactiveTokenReason.Superseded };
    return { active: true };
  }

  /** A revoked token past its expiry is refused by its signature check alone. */
  @PurgesExpired('revoked tokens')
  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM revoked_tokens WHERE expires_at < now()`);
  }
}
