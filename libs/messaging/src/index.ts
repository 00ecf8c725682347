export * from './lib/kafka.config';
export * from './lib/kafka-options';
export * from './lib/messaging.options';
export * from './lib/messaging.module';
export * from './lib/event-publisher';
export * from './lib/kafka-health.probe';
export * from './lib/migrations';
export * from './lib/outbox/outbox-message.entity';
export * from './lib/outbox/outbox.service';
export * from './lib/outbox/outbox-relay.service';
export * from './lib/inbox/inbox-event.entity';
export * from './lib/inbox/event-consumer.service';

import { InboxAggregateVersion, InboxEvent } from './lib/inbox/inbox-event.entity';
import { CreateInbox1764028800001, CreateOutbox1764028800000 } from './lib/migrations';
import { OutboxMessage } from './lib/outbox/outbox-message.entity';

/** Entities and migrations a service adds to its own database to use the outbox and inbox. */
export const MESSAGING_ENTITIES = [OutboxMessage, InboxEvent, InboxAggregateVersion];
export const MESSAGING_MIGRATIONS = [CreateOutbox1764028800000, CreateInbox1764028800001];
export * from './lib/topic-observer';
