import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher } from '../event-publisher';
import { kafkaConfig, KafkaConfig } from '../kafka.config';
import { storedTraceContext, TRACEPARENT_HEADER } from '../trace-context';

const BATCH_SIZE = 200;
const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_BACKOFF_MS = 5000;
const CLEANUP_EVERY_MS = 60_000;
/**
 * Begins a relay pass: takes the relay's lock, held until the pass's transaction ends, so two
 * instances of a service never publish out of order; and lets the pass commit without waiting
 * for its WAL flush. That is safe here and only here: a "sent" mark lost in a database crash
 * publishes those events once more, and every consumer's inbox drops them as duplicates.
 */
const BEGIN_PASS_SQL = `
  SELECT pg_try_advisory_xact_lock(hashtext('outbox-relay')) AS locked,
         set_config('synchronous_commit', 'off', true) AS synchronous_commit`;
const PENDING_SQL = `
  SELECT id, topic, message_key, event_type, event_id, envelope, traceparent
  FROM outbox_message WHERE sent_at IS NULL ORDER BY id LIMIT $1`;
const MARK_SENT_SQL = `UPDATE outbox_message SET sent_at = now() WHERE id = ANY($1::bigint[]) AND sent_at IS NULL`;
const DELETE_SENT_BEFORE_SQL = `DELETE FROM outbox_message WHERE sent_at < $1`;

/** A row waiting to be published, as PENDING_SQL reads it. */
export interface PendingMessage {
  id: string;
  topic: string;
  message_key: string;
  event_type: string;
  event_id: string;
  envelope: object;
  traceparent: string | null;
}

/**
 * Publishes the outbox in commit order and marks rows sent. While Kafka is unreachable it backs
 * off and keeps the backlog; once Kafka answers again the backlog goes out, oldest first.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** A commit happened since the current pass began: the pass may not have seen it. */
  private nudged = false;
  private lastCleanup = 0;
  private failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    @Inject(kafkaConfig.KEY) private readonly config: KafkaConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /**
   * After HTTP and the consumers have drained, before the producer and the pool close: the pass
   * under way finishes, then what they committed since is published too, so a stop leaves
   * nothing waiting for the next start unless Kafka is away.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    try {
      while ((await this.publishPending()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`outbox left for the next start: ${(error as Error).message}`);
    }
  }

  /** Publishes without waiting for the next poll; callers use it right after a commit. */
  nudge(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  /** One pass: publishes what is pending now and returns how many rows went out. */
  async publishPending(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(BEGIN_PASS_SQL);
      if (!locked) return 0;
      const pending: PendingMessage[] = await manager.query(PENDING_SQL, [BATCH_SIZE]);
      let published = 0;
      try {
        for (const run of requestsOf(pending)) {
          await context.with(storedTraceContext(run[0].traceparent), () =>
            this.publisher.publish(
              run[0].topic,
              run.map((message) => ({
                key: message.message_key,
                value: JSON.stringify(message.envelope),
                headers: {
                  'event-type': message.event_type,
                  'event-id': message.event_id,
                  ...(message.traceparent && { [TRACEPARENT_HEADER]: message.traceparent }),
                },
              })),
            ),
          );
          await markSent(manager, run);
          published += run.length;
        }
      } catch (error) {
        if (published === 0) throw error;
        this.logger.warn(`published ${published} events, then: ${(error as Error).message}`);
      }
      return published;
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.nudged = false;
      let published = 0;
      try {
        published = await this.publishPending();
        if (this.failures > 0) this.logger.log('Kafka reachable again; outbox backlog published');
        this.failures = 0;
        await this.cleanUpIfDue();
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.logger.warn(`outbox not published (attempt ${this.failures}): ${(error as Error).message}`);
        }
      }
      if ((published < BATCH_SIZE && !this.nudged) || this.failures > 0) await this.sleep(this.delay());
    }
  }

  private delay(): number {
    if (this.failures === 0) return this.config.outboxPollIntervalMs;
    return Math.min(MAX_BACKOFF_MS, this.config.outboxPollIntervalMs * 2 ** Math.min(this.failures, 10));
  }

  private async cleanUpIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(DELETE_SENT_BEFORE_SQL, [new Date(Date.now() - this.config.outboxRetentionMs)]);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * The pending rows as produce requests, in order: consecutive rows of one topic together, split
 * so no request nears the broker's default 1 MiB limit however large the backlog's events are,
 * and where the stored trace changes: each request is sent in its trace, so its span (made by
 * kafkajs' instrumentation, which also writes the traceparent header the consumers continue)
 * belongs to it. Untraced rows, all null, are not split.
 */
function requestsOf(messages: PendingMessage[]): PendingMessage[][] {
  const requests: PendingMessage[][] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message.envelope));
    const current = requests[requests.length - 1];
    const sameTrace = current?.[0].traceparent === message.traceparent;
    if (current && current[0].topic === message.topic && sameTrace && bytes + size <= MAX_REQUEST_BYTES) {
      current.push(message);
      bytes += size;
    } else {
      requests.push([message]);
      bytes = size;
    }
  }
  return requests;
}

async function markSent(manager: EntityManager, messages: PendingMessage[]): Promise<void> {
  await manager.query(MARK_SENT_SQL, [messages.map((message) => message.id)]);
}
