import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Login attempts for one username from one client within the current rate-limit window. */
@Entity({ name: 'login_attempts' })
export class LoginAttemptEntity {
  @PrimaryColumn({ type: 'varchar' })
  username!: string;

  @PrimaryColumn({ type: 'varchar' })
  client!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;
}
