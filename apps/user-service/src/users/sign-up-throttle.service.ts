import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RetryLaterException } from '@petstore/platform';
import { PurgesExpired } from '@petstore/platform/database';
import { DataSource } from 'typeorm';
import { authConfig, AuthConfig } from '../app/auth.config';
import { countAttemptSql, windowLeftSql } from '../app/fixed-window';

/**
 * Counts sign-ups per client address in a fixed window that starts at the first
 * (SIGN_UP_MAX_PER_CLIENT in SIGN_UP_WINDOW_SECONDS): every limit kept per account (a user's
 * orders awaiting approval, login attempts per username) is only as strong as accounts are
 * scarce. Every attempt counts, before its password is hashed, in one statement, so parallel
 * sign-ups cannot slip past, and a sign-up refused for a taken name counts too.
 */
@Injectable()
export class SignUpThrottle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  /** Counts a sign-up from the client, or refuses it (429 with Retry-After) past the limit. */
  async registerAttempt(client: string): Promise<void> {
    const [counter]: { attempts: number; retryAfter: number }[] = await this.dataSource.query(
      `INSERT INTO sign_up_attempts AS a (client, attempts, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (client) DO UPDATE SET ${countAttemptSql('a', '$2')}
       RETURNING a.attempts, ${windowLeftSql('a', '$2')} AS "retryAfter"`,
      [client, this.config.signUpWindowSeconds],
    );
    const most = this.config.signUpMaxPerClient;
    if (counter.attempts <= most) return;
    throw new RetryLaterException(
      HttpStatus.TOO_MANY_REQUESTS,
      `too many sign-ups from this client: at most ${most} in ${this.config.signUpWindowSeconds} seconds; retry after ${counter.retryAfter} seconds`,
      counter.retryAfter,
    );
  }

  @PurgesExpired('sign-up counters')
  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM sign_up_attempts WHERE window_started_at <= now() - make_interval(secs => $1)`, [
      this.config.signUpWindowSeconds,
    ]);
  }
}
