import { Injectable, Optional } from '@nestjs/common';
import { buildEnvelope, EventEnvelope, EventType, NewEvent, Topic } from '@petstore/contracts';
import { currentCorrelationId } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox-relay.service';
import { currentTraceparent } from '../trace-context';

const APPEND_SQL = `
  INSERT INTO outbox_message (event_id, topic, message_key, event_type, envelope, traceparent)
  VALUES ($1, $2, $3, $4, $5, $6)`;

export interface OutboxEntry<T extends EventType> extends Omit<NewEvent<T>, 'correlationId'> {
  topic: Topic;
  /** The pet id on both topics, so every event about one pet stays in one partition, in order. */
  key: string | number;
}

/**
 * The one way a service changes its tables: the work runs in a transaction, events it appends
 * commit with it, and the relay (in services that publish) is woken once the commit is done
 * if there is something to publish.
 */
@Injectable()
export class OutboxService {
  /** Transactions under way that appended an event. */
  private readonly appending = new WeakSet<EntityManager>();

  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly relay?: OutboxRelay,
  ) {}

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let appended = false;
    const result = await this.dataSource.transaction(async (manager) => {
      const done = await work(manager);
      appended = this.appending.has(manager);
      return done;
    });
    if (appended) this.relay?.nudge();
    return result;
  }

  /**
   * Records the event in the caller's transaction, so it is published if and only if the change
   * commits, under the correlation id and trace of the request or event being handled.
   */
  async append<T extends EventType>(manager: EntityManager, entry: OutboxEntry<T>): Promise<EventEnvelope<T>> {
    const envelope = buildEnvelope({ ...entry, correlationId: currentCorrelationId() });
    this.appending.add(manager);
    await manager.query(APPEND_SQL, [
      envelope.eventId,
      entry.topic,
      String(entry.key),
      envelope.type,
      JSON.stringify(envelope),
      currentTraceparent(),
    ]);
    return envelope;
  }
}
