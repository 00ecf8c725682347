import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import {
  deadLetterTopicOf,
  DLT_HEADERS,
  EventEnvelope,
  EventType,
  parseEventEnvelope,
} from '@petstore/contracts';
import { isTransientDatabaseError, runWithCorrelationId } from '@petstore/platform';
import { EntityManager } from 'typeorm';
import { EventPublisher } from '../event-publisher';
import { kafkaConfig, KafkaConfig } from '../kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { OutboxService } from '../outbox/outbox.service';
import { countConsumeOutcome } from './consume-outcome-metrics';
import { ConsumerStatus } from './consumer-status';
import { withConsumedEventSpan } from './consumed-event-span';

export type EventHandler<T extends EventType> = (event: EventEnvelope<T>, manager: EntityManager) => Promise<void>;

/** What a service does with each event type it cares about; other types on the topic are skipped. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** `waiting`: a transient failure; the message is delivered again once its partition resumes. */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'dead-lettered' | 'waiting';


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
 * Applies each consumed event exactly once: the inbox row, the version check and the handler's
 * effects (events it appends included) commit in one transaction, which runs under the event's
 * correlation id.
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

  /** Handles one message in its producer's trace, counting what became of it. */
  consume(context: KafkaContext, handlers: EventHandlers): Promise<ConsumeOutcome> {
    return withConsumedEventSpan(context, async () => countConsumeOutcome(context.getTopic(), await this.handleMessage(context, handlers)));
  }

  private async handleMessage(context: KafkaContext, handlers: EventHandlers): Promise<ConsumeOutcome> {
    const topic = context.getTopic();
    const partition = context.getPartition();
    try {
      const outcome = await this.apply(context, handlers);
      this.status.recovered(topic, partition);
      return outcome;
    } catch (error) {
      const { offset } = context.getMessage();
      const attempts = this.status.failed(topic, partition, offset, error as Error, (attempt) => this.backoffMs(attempt));
      if (attempts === 1 || attempts % 10 === 0) {
        this.logger.warn(`${topic}[${partition}]@${offset} failed (attempt ${attempts}), waiting it out: ${(error as Error).message}`);
      }
      return 'waiting';
    }
  }

  private backoffMs(attempt: number): number {
    return Math.min(this.config.consumerRetryMaxMs, this.config.consumerRetryBaseMs * 2 ** Math.min(attempt - 1, 20));
  }

  private async apply(context: KafkaContext, handlers: EventHandlers): Promise<ConsumeOutcome> {
    let event: EventEnvelope;
    try {
      event = parseEventEnvelope(context.getMessage().value);
    } catch (error) {
      await this.deadLetter(context, error as Error);
      return 'dead-lettered';
    }
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) return 'ignored';
    try {
      return await this.applyOnce(context.getTopic(), event, handler);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      await this.deadLetter(context, error as Error);
      return 'dead-lettered';
    }
  }

  private applyOnce(topic: string, event: EventEnvelope, handler: EventHandler<EventType>): Promise<ConsumeOutcome> {
    return runWithCorrelationId(event.correlationId, () =>
      this.outbox.transaction(async (manager): Promise<ConsumeOutcome> => {
        const [{ recorded, advanced }]: { recorded: number; advanced: number }[] = await manager.query(RECORD_EVENT_SQL, [
          event.eventId,
          topic,
          event.type,
          event.aggregateId,
          event.aggregateVersion,
        ]);
        if (recorded === 0) return 'duplicate';
        if (advanced === 0) return 'stale';
        await handler(event, manager);
        return 'applied';
      }),
    );
  }

  private async deadLetter(context: KafkaContext, error: Error): Promise<void> {
    const message = context.getMessage();
    const topic = context.getTopic();
    this.logger.error(`parking ${topic}[${context.getPartition()}]@${message.offset} on ${deadLetterTopicOf(topic)}: ${error.message}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    Object.assign(headers, {
      [DLT_HEADERS.error]: error.message,
      [DLT_HEADERS.originalTopic]: topic,
      [DLT_HEADERS.originalPartition]: String(context.getPartition()),
      [DLT_HEADERS.originalOffset]: String(message.offset),
      [DLT_HEADERS.consumerGroup]: this.options.groupId,
    });
    const value = typeof message.value === 'string' ? message.value : JSON.stringify(message.value);
    await this.publisher.publish(deadLetterTopicOf(topic), [
      { key: message.key === null || message.key === undefined ? '' : String(message.key), value, headers },
    ]);
    this.status.parkedOne();
  }
}
