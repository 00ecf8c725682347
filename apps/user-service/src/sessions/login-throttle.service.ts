import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { authConfig, AuthConfig } from '../app/auth.config';

export interface LoginGate {
  allowed: boolean;
  retryAfterSeconds: number;
}

const PURGE_INTERVAL_MS = 10 * 60 * 1000;
const MAX_CLIENT_LENGTH = 128;

/**
 * Counts login attempts per username and client in a fixed window that starts at the first
 * attempt; past LOGIN_MAX_ATTEMPTS the rest of the window is refused, even with the right
 * password. A successful login clears the count. Counting happens before the password check,
 * in one statement, so parallel guesses cannot slip past the limit.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit, OnModuleDestroy {
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  get maxAttempts(): number {
    return this.config.loginMaxAttempts;
  }

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired().catch(() => undefined), PURGE_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async registerAttempt(username: string, client: string): Promise<LoginGate> {
    const [row]: { attempts: number; retry_after: number }[] = await this.dataSource.query(
      `INSERT INTO login_attempts AS a (username, client, attempts, window_started_at)
       VALUES ($1, $2, 1, now())
       ON CONFLICT (username, client) DO UPDATE SET
         attempts = CASE WHEN a.window_started_at <= now() - make_interval(secs => $3) THEN 1 ELSE a.attempts + 1 END,
         window_started_at = CASE WHEN a.window_started_at <= now() - make_interval(secs => $3) THEN now() ELSE a.window_started_at END
       RETURNING a.attempts,
         GREATEST(1, CEIL(EXTRACT(EPOCH FROM a.window_started_at + make_interval(secs => $3) - now())))::int AS retry_after`,
      [...this.keyOf(username, client), this.config.loginWindowSeconds],
    );
    return { allowed: row.attempts <= this.config.loginMaxAttempts, retryAfterSeconds: row.retry_after };
  }

  async clear(username: string, client: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempts WHERE username = $1 AND client = $2`, this.keyOf(username, client));
  }

  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempts WHERE window_started_at <= now() - make_interval(secs => $1)`, [
      this.config.loginWindowSeconds,
    ]);
  }

  private keyOf(username: string, client: string): [string, string] {
    return [username.toLowerCase(), client.slice(0, MAX_CLIENT_LENGTH)];
  }
}
