import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A token logged out before it expired; kept until it would have expired anyway. */
@Entity({ name: 'revoked_tokens' })
export class RevokedTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  jti!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
