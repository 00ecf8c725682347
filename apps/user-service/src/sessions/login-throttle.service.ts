import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PurgesExpired } from '@petstore/platform/database';
import { DataSource } from 'typeorm';
import { authConfig, AuthConfig } from '../app/auth.config';
import { countAttemptSql, windowLeftSql } from '../app/fixed-window';

export type LoginGate = { allowed: true } | { allowed: false; limited: string; retryAfterSeconds: number };

/** The counter of a username over every client, or of a client over every username, has '' for the other part. */
const ANY = '';

interface Counter {
  username: string;
  client: string;
  attempts: number;
  retry_after: number;
  /** Whether the user of that name logged in from this client lately. */
  known_client: boolean;
}

/**
 * Counts login attempts in a fixed window that starts at the first attempt, three ways: per
 * username and client (LOGIN_MAX_ATTEMPTS), per username over every client, against one account
 * guessed from many addresses (LOGIN_MAX_ATTEMPTS_PER_USERNAME), and per client over every
 * username, against one address trying many accounts (LOGIN_MAX_ATTEMPTS_PER_CLIENT). Past any
 * limit the rest of its window is refused, even with the right password. Counting happens before
 * the password check, in one statement, so parallel guesses cannot slip past; a success clears
 * its username-and-client count and takes itself off the other two, so only failures add up there.
 *
 * A client the user logged in from within LOGIN_KNOWN_CLIENT_DAYS is not held to the username's
 * limit over every client: otherwise anyone could lock an account's owner out by guessing wrong
 * from a few addresses. It keeps its own two limits, so guessing from it is no faster.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  get maxAttempts(): number {
    return this.config.loginMaxAttempts;
  }

  async registerAttempt(username: string, client: string): Promise<LoginGate> {
    const counters: Counter[] = await this.dataSource.query(
      `WITH counted AS (
         INSERT INTO login_attempts AS a (username, client, attempts, window_started_at)
         VALUES ($1, $2, 1, now()), ($1, $3, 1, now()), ($3, $2, 1, now())
         ON CONFLICT (username, client) DO UPDATE SET ${countAttemptSql('a', '$4')}
         RETURNING a.username, a.client, a.attempts, ${windowLeftSql('a', '$4')} AS retry_after
       )
       SELECT counted.*, EXISTS (
         SELECT 1 FROM login_known_clients k JOIN users u ON u.id = k.user_id
          WHERE lower(u.username) = lower($5) AND k.client = $2 AND k.last_login_at > now() - make_interval(days => $6)
       ) AS known_client
       FROM counted`,
      [username.toLowerCase(), client, ANY, this.config.loginWindowSeconds, username, this.config.loginKnownClientDays],
    );
    const exceeded = counters
      .map((counter) => ({ counter, ...this.limitOf(counter) }))
      .filter(({ counter, limit }) => counter.attempts > limit)
      .sort((a, b) => b.counter.retry_after - a.counter.retry_after)[0];
    if (!exceeded) return { allowed: true };
    return { allowed: false, limited: exceeded.limited, retryAfterSeconds: exceeded.counter.retry_after };
  }

  /** After a successful login: its own attempt is no failure, and the client is known to the user from now on. */
  async succeeded(userId: string, username: string, client: string): Promise<void> {
    await this.dataSource.query(
      `WITH cleared AS (DELETE FROM login_attempts WHERE username = $1 AND client = $2),
       known AS (
         INSERT INTO login_known_clients (user_id, client, last_login_at) VALUES ($4, $2, now())
         ON CONFLICT (user_id, client) DO UPDATE SET last_login_at = now()
       )
       UPDATE login_attempts SET attempts = GREATEST(attempts - 1, 0)
        WHERE (username = $1 AND client = $3) OR (username = $3 AND client = $2)`,
      [username.toLowerCase(), client, ANY, userId],
    );
  }

  @PurgesExpired('login counters')
  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempts WHERE window_started_at <= now() - make_interval(secs => $1)`, [
      this.config.loginWindowSeconds,
    ]);
  }

  @PurgesExpired('known login clients')
  async forgetClientsNotSeenLately(): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_known_clients WHERE last_login_at <= now() - make_interval(days => $1)`, [
      this.config.loginKnownClientDays,
    ]);
  }

  private limitOf(counter: Counter): { limit: number; limited: string } {
    if (counter.client === ANY) {
      return { limit: counter.known_client ? Infinity : this.config.loginMaxAttemptsPerUsername, limited: 'for this username' };
    }
    if (counter.username === ANY) return { limit: this.config.loginMaxAttemptsPerClient, limited: 'from this client' };
    return { limit: this.config.loginMaxAttempts, limited: 'for this username from this client' };
  }
}
