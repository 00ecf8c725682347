import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify, type Options } from '@node-rs/argon2';
import { RetryLaterException } from '@petstore/platform';
import { authConfig, AuthConfig } from '../app/auth.config';

/** OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS: Options = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Seconds a client is told to wait when hashing is at capacity. */
export const HASHING_RETRY_AFTER_SECONDS = 1;

export class HashingAtCapacityException extends RetryLaterException {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'password hashing is at capacity; retry shortly', HASHING_RETRY_AFTER_SECONDS);
  }
}

/**
 * argon2 hashes cost tens of milliseconds of CPU and 19 MiB each. A flood of sign-ups or logins
 * would otherwise queue without bound on libuv's few threads and starve every other request: at
 * most PASSWORD_HASH_CONCURRENCY run at once, at most PASSWORD_HASH_QUEUE_LIMIT wait, and the rest
 * are answered 503 with Retry-After at once.
 */
@Injectable()
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Verified against when the username is unknown, so a miss costs as much as a wrong password. */
  private readonly decoy = hash('decoy password that matches nothing', ARGON2_OPTIONS);

  constructor(@Inject(authConfig.KEY) private readonly config: Pick<AuthConfig, 'passwordHashConcurrency' | 'passwordHashQueueLimit'>) {}

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password, ARGON2_OPTIONS));
  }

  async verify(hashed: string | undefined, password: string): Promise<boolean> {
    const against = hashed ?? (await this.decoy);
    const matches = await this.limited(() => verify(against, password).catch(() => false));
    return hashed !== undefined && matches;
  }

  /**
   * Refuses now when a hash asked for now would be refused, so a request that will need one
   * costs nothing more during a flood: no database round trips for an answer that is a 503.
   */
  refuseWhenFull(): void {
    if (this.running >= this.config.passwordHashConcurrency && this.waiting.length >= this.config.passwordHashQueueLimit) {
      throw new HashingAtCapacityException();
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    this.refuseWhenFull();
    if (this.running >= this.config.passwordHashConcurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
