import { Inject, Injectable, Logger } from '@nestjs/common';
import { deadLetterTopicOf, DLT_HEADERS, EventEnvelope, EventType, parseEventEnvelope } from '@petstore/contracts';
import { isTransientDatabaseError, runWithCorrelationId } from '@petstore/platform';
import type { KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { EventPublisher } from '../event-publisher';
import { kafkaConfig, KafkaConfig } from '../kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { OutboxService } from '../outbox/outbox.service';
import { countConsumeOutcome } from './consume-outcome-metrics';
import { ConsumedBatch } from './consumed-batch';
import { ConsumerStatus } from './consumer-status';
import { ConsumedEventSpan } from './consumed-event-span';

/** Runs once the transaction that applied the event has committed. */
export type AfterCommit = () => void;

/** Applies one event in the inbox's transaction; what it returns, if a function, runs after the commit. */
export type EventHandler<T extends EventType> = (event: EventEnvelope<T>, manager: EntityManager) => Promise<AfterCommit | void>;

/** What a service does with each event type it cares about; other types on the topic are skipped. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** `waiting`: a transient failure; the message is delivered again once its partition resumes. */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'dead-lettered' | 'waiting';

/**
 * Events applied in one transaction at most. Nothing of a transaction is visible before its
 * commit, so its first event waits for its last: the cap keeps that wait short when a backlog
 * comes in one fetch (thousands of events at start or after an outage), while one BEGIN and
 * COMMIT still serve many events.
 */
export const MAX_EVENTS_PER_TRANSACTION = 20;

/** A message of the batch read as an event, with what this service does with its type. */
interface ReadEvent {
  message: KafkaMessage;
  event: EventEnvelope;
  handler: EventHandler<EventType> | undefined;
}

/**
 * Records the event in the inbox and, only if it was not there yet, advances its aggregate's
 * version: one statement, one round trip. `recorded` 0 is a duplicate; `advanced` 0 a stale event
 * (an older version than one already applied), whose inbox row still commits.
 */
const RECORD_EVENT_SQL = `
  WITH recorded AS (
    INSERT INTO inbox_event (event_id, topic, event_type, aggregate_id, aggregate_version)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING topic, aggregate_id, aggregate_version
  ), advanced AS (
    INSERT INTO inbox_aggregate_version (topic, aggregate_id, version)
    SELECT topic, aggregate_id, aggregate_version FROM recorded
    ON CONFLICT (topic, aggregate_id) DO UPDATE SET version = EXCLUDED.version
    WHERE inbox_aggregate_version.version < EXCLUDED.version
    RETURNING version
  )
  SELECT (SELECT count(*) FROM recorded)::int AS recorded, (SELECT count(*) FROM advanced)::int AS advanced`;

/**
 * Applies each consumed event exactly once: its inbox row, the version check and the handler's
 * effects (events it appends included) commit together, each event under its correlation id.
 *
 * A batch (one partition's messages from one fetch) is applied in one transaction, up to
 * MAX_EVENTS_PER_TRANSACTION events: one BEGIN and one COMMIT for all of them. If anything in
 * it fails, nothing of it commits and its events are applied again one transaction each, so a
 * failure concerns only its own message:
 *
 * A failure that may pass (the database away or busy, Kafka away while parking) is waited out:
 * the message is left uncommitted, its partition paused (see EventConsumerServer) and resumed
 * after a capped exponential backoff, for as long as it takes; the other partitions keep
 * flowing and heartbeats keep the membership. A failure that never will (a message that is
 * not a valid envelope, a handler refusing the event) is parked on `<topic>.DLT` at once, with
 * the error in its headers, so the partition keeps flowing.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly publisher: EventPublisher,
    private readonly status: ConsumerStatus,
    @Inject(kafkaConfig.KEY) private readonly config: KafkaConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Applies the batch's messages in order, stopping at one to try again later. */
  async consume(batch: ConsumedBatch, handlers: EventHandlers): Promise<void> {
    const { messages } = batch;
    for (let start = 0; start < messages.length; start += MAX_EVENTS_PER_TRANSACTION) {
      if (batch.interrupted) return;
      const part = messages.slice(start, start + MAX_EVENTS_PER_TRANSACTION);
      if (!(await this.applyTogether(batch, part, handlers))) {
        for (const message of part) {
          if (batch.interrupted) return;
          if ((await this.consumeOne(batch, message, handlers)) === 'waiting') return;
        }
      }
      await batch.heartbeat();
    }
  }

  /**
   * Applies the messages in one transaction and answers true once it committed; false when a
   * message is not a valid event or anything failed (then nothing of it committed).
   */
  private async applyTogether(batch: ConsumedBatch, messages: KafkaMessage[], handlers: EventHandlers): Promise<boolean> {
    if (messages.length < 2) return false;
    const events: ReadEvent[] = [];
    for (const message of messages) {
      const event = readEvent(message);
      if (!event) return false;
      events.push({ message, event, handler: handlers[event.type] as EventHandler<EventType> | undefined });
    }
    if (events.every(({ handler }) => !handler)) {
      this.finish(
        batch,
        events.map(({ message }) => [message, 'ignored']),
        [],
      );
      return true;
    }
    const afterCommit: AfterCommit[] = [];
    /** Each handled event's span, by its index in the batch, ended once the transaction has committed or rolled back. */
    const spans: (ConsumedEventSpan | undefined)[] = [];
    let outcomes: ConsumeOutcome[];
    try {
      outcomes = await this.outbox.transaction(async (manager) => {
        const applied: ConsumeOutcome[] = [];
        for (const { message, event, handler } of events) {
          if (!handler) {
            spans.push(undefined);
            applied.push('ignored');
            continue;
          }
          const span = new ConsumedEventSpan(batch.topic, batch.partition, message);
          spans.push(span);
          applied.push(
            await span.run(() =>
              runWithCorrelationId(event.correlationId, () => this.recordAndHandle(batch.topic, event, handler, manager, afterCommit)),
            ),
          );
        }
        return applied;
      });
    } catch (error) {
      for (const span of spans) span?.rolledBack(error);
      return false;
    }
    spans.forEach((span, index) => span?.settled(outcomes[index]));
    this.finish(
      batch,
      events.map(({ message }, index) => [message, outcomes[index]]),
      afterCommit,
    );
    return true;
  }

  private finish(batch: ConsumedBatch, outcomes: [KafkaMessage, ConsumeOutcome][], afterCommit: AfterCommit[]): void {
    for (const [message, outcome] of outcomes) {
      countConsumeOutcome(batch.topic, outcome);
      batch.done(message.offset);
    }
    this.status.recovered(batch.topic, batch.partition);
    for (const run of afterCommit) run();
  }

  /** Handles one message in its own transaction, in its producer's trace, counting what became of it. */
  private async consumeOne(batch: ConsumedBatch, message: KafkaMessage, handlers: EventHandlers): Promise<ConsumeOutcome> {
    const afterCommit: AfterCommit[] = [];
    const span = new ConsumedEventSpan(batch.topic, batch.partition, message);
    let outcome: ConsumeOutcome;
    try {
      outcome = await span.run(() => this.handleMessage(batch, message, handlers, afterCommit));
    } catch (error) {
      span.rolledBack(error);
      throw error;
    }
    span.settled(outcome);
    countConsumeOutcome(batch.topic, outcome);
    if (outcome !== 'waiting') {
      batch.done(message.offset);
      for (const run of afterCommit) run();
    }
    return outcome;
  }

  private async handleMessage(
    batch: ConsumedBatch,
    message: KafkaMessage,
    handlers: EventHandlers,
    afterCommit: AfterCommit[],
  ): Promise<ConsumeOutcome> {
    const { topic, partition } = batch;
    try {
      const outcome = await this.apply(batch, message, handlers, afterCommit);
      this.status.recovered(topic, partition);
      return outcome;
    } catch (error) {
      const { offset } = message;
      const { attempts, retryInMs } = this.status.failed(topic, partition, offset, error as Error, (attempt) => this.backoffMs(attempt));
      if (attempts === 1 || attempts % 10 === 0) {
        this.logger.warn(`${topic}[${partition}]@${offset} failed (attempt ${attempts}), waiting it out: ${(error as Error).message}`);
      }
      batch.retryLater(offset, retryInMs);
      return 'waiting';
    }
  }

  private backoffMs(attempt: number): number {
    return Math.min(this.config.consumerRetryMaxMs, this.config.consumerRetryBaseMs * 2 ** Math.min(attempt - 1, 20));
  }

  private async apply(batch: ConsumedBatch, message: KafkaMessage, handlers: EventHandlers, afterCommit: AfterCommit[]): Promise<ConsumeOutcome> {
    let event: EventEnvelope;
    try {
      event = parseEventEnvelope(messageValue(message));
    } catch (error) {
      await this.deadLetter(batch, message, error as Error);
      return 'dead-lettered';
    }
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) return 'ignored';
    try {
      return await runWithCorrelationId(event.correlationId, () =>
        this.outbox.transaction((manager) => this.recordAndHandle(batch.topic, event, handler, manager, afterCommit)),
      );
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      await this.deadLetter(batch, message, error as Error);
      return 'dead-lettered';
    }
  }

  private async recordAndHandle(
    topic: string,
    event: EventEnvelope,
    handler: EventHandler<EventType>,
    manager: EntityManager,
    afterCommit: AfterCommit[],
  ): Promise<ConsumeOutcome> {
    const [{ recorded, advanced }]: { recorded: number; advanced: number }[] = await manager.query(RECORD_EVENT_SQL, [
      event.eventId,
      topic,
      event.type,
      event.aggregateId,
      event.aggregateVersion,
    ]);
    if (recorded === 0) return 'duplicate';
    if (advanced === 0) return 'stale';
    const after = await handler(event, manager);
    if (after) afterCommit.push(after);
    return 'applied';
  }

  private async deadLetter(batch: ConsumedBatch, message: KafkaMessage, error: Error): Promise<void> {
    const { topic, partition } = batch;
    this.logger.error(`parking ${topic}[${partition}]@${message.offset} on ${deadLetterTopicOf(topic)}: ${error.message}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    Object.assign(headers, {
      [DLT_HEADERS.error]: error.message,
      [DLT_HEADERS.originalTopic]: topic,
      [DLT_HEADERS.originalPartition]: String(partition),
      [DLT_HEADERS.originalOffset]: String(message.offset),
      [DLT_HEADERS.consumerGroup]: this.options.groupId,
    });
    await this.publisher.publish(deadLetterTopicOf(topic), [
      { key: message.key === null || message.key === undefined ? '' : String(message.key), value: String(message.value ?? ''), headers },
    ]);
    this.status.parkedOne();
  }
}

/** The message's value as JSON when it is JSON, else as the text it is. */
function messageValue(message: KafkaMessage): unknown {
  const text = message.value?.toString('utf8') ?? null;
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The message as an event, or undefined when it is not a valid one (applied alone, it is parked). */
function readEvent(message: KafkaMessage): EventEnvelope | undefined {
  try {
    return parseEventEnvelope(messageValue(message));
  } catch {
    return undefined;
  }
}
