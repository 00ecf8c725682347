import { ConflictException, Global, Injectable, Module, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgresError, PostgresErrorCode } from '../postgres';
import { PurgesExpired, type ServiceFeature } from '../service-infrastructure';
import { IDEMPOTENCY_KEY_RETENTION_SECONDS, IDEMPOTENCY_KEY_WAIT_MS } from './idempotency-key';

/** The Idempotency-Key a user sent: keys are per user. */
export interface IdempotencyKeyOf {
  key: string;
  /** The caller's id, or ANONYMOUS_CALLER_ID for a write that needs no login. */
  userId: number;
}

/**
 * The scope of the keys of writes that need no login (a sign-up): every such caller shares it,
 * their requests told apart by their fingerprints, so a client's key must be one nobody else
 * would pick (a UUID). No user has this id.
 */
export const ANONYMOUS_CALLER_ID = 0;

/** 422: the key names an earlier request that is not this one. */
export class IdempotencyKeyReusedException extends UnprocessableEntityException {
  constructor(key: string) {
    super(`Idempotency-Key '${key}' was sent before with a different request; send a new key for a new request`);
  }
}

/** A write a client sent with an Idempotency-Key: the operation, who sent it, and what it asked for. */
export interface IdempotentRequest extends IdempotencyKeyOf {
  /** The operation's name, so one key cannot name two kinds of write. */
  operation: string;
  body: unknown;
}

/**
 * The answers of writes made under an Idempotency-Key, each recorded in the write's own
 * transaction: a write and its recorded answer commit together or not at all, so a request sent
 * again gets the first one's answer once it committed, and is made afresh if it did not.
 */
@Injectable()
export class IdempotentRequests {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `write` in the caller's transaction unless the key already names a committed request,
   * whose recorded answer is returned instead (see claim); without a key, just runs it.
   */
  async once<T>(manager: EntityManager, request: IdempotentRequest | undefined, write: () => Promise<T>): Promise<T> {
    if (!request) return write();
    const recorded = await this.claim<T>(manager, request);
    if (recorded) return recorded.answer;
    const answer = await write();
    await this.record(manager, request, answer);
    return answer;
  }

  /**
   * Claims the key for this request in the caller's transaction, or answers what the committed
   * request under the key recorded, holding the key until the transaction ends. A request still
   * running under the same key is waited for up to IDEMPOTENCY_KEY_WAIT_MS (its uncommitted key
   * holds ours), so concurrent sends make one write; one still running after that is 409, as the
   * IETF draft answers a send that overlaps the first. The key sent with another operation or body
   * is refused with 422.
   */
  async claim<T>(manager: EntityManager, request: IdempotentRequest): Promise<{ answer: T } | undefined> {
    const fingerprint = fingerprintOf(request);
    await manager.query(`SET LOCAL lock_timeout = ${IDEMPOTENCY_KEY_WAIT_MS}`);
    const claimed: unknown[] = await manager
      .query(
        `INSERT INTO idempotent_request (user_id, idempotency_key, fingerprint)
         VALUES ($1, $2, $3)
         ON CONFLICT (user_id, idempotency_key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, response = NULL, created_at = now()
           WHERE idempotent_request.created_at <= now() - make_interval(secs => $4)
         RETURNING 1`,
        [request.userId, request.key, fingerprint, IDEMPOTENCY_KEY_RETENTION_SECONDS],
      )
      .catch((error: unknown) => {
        if (!isPostgresError(error, PostgresErrorCode.LockNotAvailable)) throw error;
        throw new ConflictException(
          `a request under Idempotency-Key '${request.key}' is still being processed; send this one again once that one is answered`,
        );
      });
    // The write itself waits for locks as long as any other.
    await manager.query('SET LOCAL lock_timeout TO DEFAULT');
    if (claimed.length > 0) return undefined;
    return this.recordedAnswer<T>(manager, request, fingerprint);
  }

  /**
   * What a committed request under the key recorded, read without claiming the key (the claim, in
   * the write's transaction, stays the word that counts): for a write with work to spare before
   * its transaction when it is sent again. 422 for another operation or body.
   */
  async recorded<T>(request: IdempotentRequest): Promise<{ answer: T } | undefined> {
    return this.recordedAnswer<T>(this.dataSource.manager, request, fingerprintOf(request));
  }

  /** Records the answer to the request whose key the caller's transaction claimed. */
  async record(manager: EntityManager, request: IdempotentRequest, answer: unknown): Promise<void> {
    await manager.query(`UPDATE idempotent_request SET response = $3 WHERE user_id = $1 AND idempotency_key = $2`, [
      request.userId,
      request.key,
      JSON.stringify(answer),
    ]);
  }

  private async recordedAnswer<T>(manager: EntityManager, request: IdempotentRequest, fingerprint: string): Promise<{ answer: T } | undefined> {
    const [recorded]: { fingerprint: string; response: T }[] = await manager.query(
      `SELECT fingerprint, response FROM idempotent_request
       WHERE user_id = $1 AND idempotency_key = $2 AND created_at > now() - make_interval(secs => $3)`,
      [request.userId, request.key, IDEMPOTENCY_KEY_RETENTION_SECONDS],
    );
    if (!recorded) return undefined;
    if (recorded.fingerprint !== fingerprint) throw new IdempotencyKeyReusedException(request.key);
    return { answer: recorded.response };
  }

  @PurgesExpired('idempotency keys')
  async purgeExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotent_request WHERE created_at <= now() - make_interval(secs => $1)`, [
      IDEMPOTENCY_KEY_RETENTION_SECONDS,
    ]);
  }
}

function fingerprintOf(request: IdempotentRequest): string {
  return createHash('sha256').update(request.operation).update('\n').update(JSON.stringify(request.body)).digest('base64url');
}

export class CreateIdempotentRequests1765000000000 implements MigrationInterface {
  name = 'CreateIdempotentRequests1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // json, not jsonb: an answer given again is the first one as it was written, its keys in their order.
    await queryRunner.query(`
      CREATE TABLE idempotent_request (
        user_id bigint NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        fingerprint varchar(64) NOT NULL,
        response json,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotent_request_created_at ON idempotent_request (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotent_request`);
  }
}

@Global()
@Module({ providers: [IdempotentRequests], exports: [IdempotentRequests] })
class IdempotentRequestsModule {}

/** Writes a client may send again under an Idempotency-Key (see IdempotentRequests). */
export function idempotentRequests(): ServiceFeature {
  return { migrations: [CreateIdempotentRequests1765000000000], imports: [IdempotentRequestsModule] };
}
