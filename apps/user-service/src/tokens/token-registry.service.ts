import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TokenReference } from '@petstore/dto';
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

  /** Active when its user still exists with the same username and roles, and it was not revoked. */
  async isActive(token: TokenReference): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM users u
        WHERE u.id = $1 AND u.token_version = $2
          AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $3)`,
      [token.sub, token.ver, token.jti],
    );
    return rows.length > 0;
  }

  /** A revoked token past its expiry is refused by its signature check alone. */
  @PurgesExpired('revoked tokens')
  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM revoked_tokens WHERE expires_at < now()`);
  }
}
