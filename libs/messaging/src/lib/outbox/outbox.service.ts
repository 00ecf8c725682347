import { Injectable } from '@nestjs/common';
import { buildEnvelope, EventEnvelope, EventType, NewEvent, Topic } from '@petstore/contracts';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity';

export interface OutboxEntry<T extends EventType> extends NewEvent<T> {
  topic: Topic;
  /** The pet id on both topics, so every event about one pet stays in one partition, in order. */
  key: string | number;
}

@Injectable()
export class OutboxService {
  /** Records the event in the caller's transaction: it is published if and only if the change commits. */
  async append<T extends EventType>(manager: EntityManager, entry: OutboxEntry<T>): Promise<EventEnvelope<T>> {
    const envelope = buildEnvelope(entry);
    await manager.insert(OutboxMessage, {
      eventId: envelope.eventId,
      topic: entry.topic,
      messageKey: String(entry.key),
      eventType: envelope.type,
      envelope,
    });
    return envelope;
  }
}
