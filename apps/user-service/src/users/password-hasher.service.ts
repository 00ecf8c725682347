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

type HasherConfig = Pick<AuthConfig, 'passwordHashConcurrency' | 'passwordHashQueueLimit' | 'passwordHashMaxWaitMs'>;

/** How much the latest hash's duration moves the running estimate of what a hash takes. */
const DURATION_WEIGHT = 0.2;

/**
 * argon2 hashes cost tens of milliseconds of CPU and 19 MiB each. A flood of sign-ups or logins
 * would otherwise queue without bound on libuv's few threads and starve every other request: at
 * most PASSWORD_HASH_CONCURRENCY run at once, and the rest are answered 503 with Retry-After.
 * How many may wait is bounded in time as well as in number, because what a hash takes depends
 * on the machine and on how busy it is: a hash is refused at once when the queue is
 * PASSWORD_HASH_QUEUE_LIMIT long or when, at what recent hashes took, it would not start within
 * PASSWORD_HASH_MAX_WAIT_MS; and one still waiting when that has passed (the machine slowed down
 * under it) is refused then rather than hashed for a caller that is about to give up on it.
 */
@Injectable()
export class PasswordHasher {
  private running = 0;
  private readonly waiting: { askedAt: number; start: (late: boolean) => void }[] = [];
  /** A running estimate, in ms, of what one hash takes here now; 0 until one has been timed. */
  private hashMs = 0;
  /** Verified against when the username is unknown, so a miss costs as much as a wrong password. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(authConfig.KEY) private readonly config: HasherConfig) {
    this.decoy = this.timed(() => hash('decoy password that matches nothing', ARGON2_OPTIONS));
  }

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
    if (this.running < this.config.passwordHashConcurrency) return;
    const turnsToWait = Math.ceil((this.waiting.length + 1) / this.config.passwordHashConcurrency);
    if (this.waiting.length >= this.config.passwordHashQueueLimit || turnsToWait * this.hashMs > this.config.passwordHashMaxWaitMs) {
      throw new HashingAtCapacityException();
    }
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    this.refuseWhenFull();
    if (this.running >= this.config.passwordHashConcurrency) {
      const askedAt = performance.now();
      const late = await new Promise<boolean>((start) => this.waiting.push({ askedAt, start }));
      if (late) {
        this.startNext();
        throw new HashingAtCapacityException();
      }
    } else {
      this.running++;
    }
    try {
      return await this.timed(work);
    } finally {
      this.startNext();
    }
  }

  /** Hands the slot just freed to the next waiting hash, telling it whether it waited too long to run. */
  private startNext(): void {
    const next = this.waiting.shift();
    if (next) next.start(performance.now() - next.askedAt > this.config.passwordHashMaxWaitMs);
    else this.running--;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - startedAt;
      this.hashMs = this.hashMs === 0 ? took : this.hashMs + DURATION_WEIGHT * (took - this.hashMs);
    }
  }
}
