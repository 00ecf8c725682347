import type { ServiceName } from '@petstore/platform';
import type { ServiceFeature } from '@petstore/platform/database';
import { ConsumerHealthProbe } from './inbox/consumer-health.probe';
import { KafkaHealthProbe } from './kafka-health.probe';
import { kafkaConfig } from './kafka.config';
import { MessagingModule } from './messaging.module';
import {
  AddOutboxTraceparent1764400000000,
  CreateInbox1764028800001,
  CreateOutbox1764028800000,
  IndexInboxProcessedAt1765100000000,
} from './migrations';

export interface EventMessagingOptions {
  service: ServiceName;
  /** Whether the service writes events (an outbox relay runs) or only consumes them. */
  publishesEvents: boolean;
}

/** Kafka for a service that publishes or consumes events: its variables, outbox and inbox tables, module and probe. */
export function eventMessaging(options: EventMessagingOptions): ServiceFeature {
  return {
    environment: [kafkaConfig.environment],
    migrations: [CreateOutbox1764028800000, CreateInbox1764028800001, AddOutboxTraceparent1764400000000, IndexInboxProcessedAt1765100000000],
    imports: [MessagingModule.forService({ groupId: options.service, relay: options.publishesEvents })],
    probes: [KafkaHealthProbe, ConsumerHealthProbe],
  };
}
