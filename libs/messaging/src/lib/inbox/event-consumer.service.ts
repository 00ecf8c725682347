import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import {
  deadLetterTopicOf,
  EventEnvelope,
  EventType,
  parseEventEnvelope,
} from '@petstore/contracts';
import { runWithCorrelationId } from '@petstore/platform';
import { EntityManager } from 'typeorm';
import { EventPublisher } from '../event-publisher';
import { kafkaConfig, KafkaConfig } from '../kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { OutboxService } from '../outbox/outbox.service';
import { countConsumeOutcome } from './consume-outcome-metrics';
import { withConsumedEventSpan } from './consumed-event-span';

export type EventHandler<T extends EventType> = (event: EventEnvelope<T>, manager: EntityManager) => Promise<void>;

/** What a service does with each event type it cares about; other types on the topic are skipped. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export type ConsumeOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'dead-lettered';

export const DLT_HEADERS = {
  error: 'dlt-error',
  originalTopic: 'dlt-original-topic',
  originalPartition: 'dlt-original-partition',
  originalOffset: 'dlt-original-offset',
  consumerGroup: 'dlt-consumer-group',
  attempts: 'dlt-attempts',
} as const;

const INSERT_INBOX_SQL = `
  INSERT INTO inbox_event (event_id, topic, event_type, aggregate_id, aggregate_version)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id`;

const ADVANCE_VERSION_SQL = `
  INSERT INTO inbox_aggregate_version (topic, aggregate_id, version)
  VALUES ($1, $2, $3)
  ON CONFLICT (topic, aggregate_id) DO UPDATE SET version = EXCLUDED.version
  WHERE inbox_aggregate_version.version < EXCLUDED.version
  RETURNING version`;

/**
 * Applies each consumed event exactly once: the inbox row, the version check and the handler's
 * effects (events it appends included) commit in one transaction, which runs under the event's
 * correlation id. Failures are retried with backoff; a message that keeps
 * failing, or cannot be parsed, is parked on `<topic>.DLT` with the error in its headers so
 * the partition keeps flowing.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly publisher: EventPublisher,
    @Inject(kafkaConfig.KEY) private readonly config: KafkaConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Handles one message in its producer's trace, counting what became of it. */
  consume(context: KafkaContext, handlers: EventHandlers): Promise<ConsumeOutcome> {
    return withConsumedEventSpan(context, async () => countConsumeOutcome(context.getTopic(), await this.handleMessage(context, handlers)));
  }

  private async handleMessage(context: KafkaContext, handlers: EventHandlers): Promise<ConsumeOutcome> {
    const message = context.getMessage();
    let event: EventEnvelope;
    try {
      event = parseEventEnvelope(message.value);
    } catch (error) {
      await this.deadLetter(context, error as Error, 1);
      return 'dead-lettered';
    }
    const handler = handlers[event.type] as EventHandler<EventType> | undefined;
    if (!handler) return 'ignored';

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.applyOnce(context.getTopic(), event, handler);
      } catch (error) {
        if (attempt >= this.config.consumerMaxAttempts) {
          await this.deadLetter(context, error as Error, attempt);
          return 'dead-lettered';
        }
        this.logger.warn(`${event.type} ${event.eventId} failed (attempt ${attempt}): ${(error as Error).message}`);
        await sleep(this.config.consumerRetryBaseMs * 2 ** (attempt - 1));
        await context.getHeartbeat()();
      }
    }
  }

  private applyOnce(topic: string, event: EventEnvelope, handler: EventHandler<EventType>): Promise<ConsumeOutcome> {
    return runWithCorrelationId(event.correlationId, () =>
      this.outbox.transaction(async (manager): Promise<ConsumeOutcome> => {
        const inserted = await manager.query(INSERT_INBOX_SQL, [
          event.eventId,
          topic,
          event.type,
          event.aggregateId,
          event.aggregateVersion,
        ]);
        if (inserted.length === 0) return 'duplicate';
        const advanced = await manager.query(ADVANCE_VERSION_SQL, [topic, event.aggregateId, event.aggregateVersion]);
        if (advanced.length === 0) return 'stale';
        await handler(event, manager);
        return 'applied';
      }),
    );
  }

  private async deadLetter(context: KafkaContext, error: Error, attempts: number): Promise<void> {
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
      [DLT_HEADERS.attempts]: String(attempts),
    });
    const value = typeof message.value === 'string' ? message.value : JSON.stringify(message.value);
    await this.publisher.publish(deadLetterTopicOf(topic), [
      { key: message.key === null || message.key === undefined ? '' : String(message.key), value, headers },
    ]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
