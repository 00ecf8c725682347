import type { ModuleMetadata } from '@nestjs/common';
import {
  databaseEnvironment,
  DatabaseHealthProbe,
  DatabaseModule,
  DatabaseOptions,
  dependencyEnvironment,
  EnvironmentSchema,
  HealthModule,
  ServiceConfigModule,
  ServiceName,
} from '@petstore/platform';
import { CreateInbox1764028800001, CreateOutbox1764028800000 } from './migrations';
import { InboxAggregateVersion, InboxEvent } from './inbox/inbox-event.entity';
import { KafkaHealthProbe } from './kafka-health.probe';
import { kafkaEnvironment } from './kafka.config';
import { MessagingModule } from './messaging.module';
import { OutboxMessage } from './outbox/outbox-message.entity';

export interface ServiceInfrastructureOptions extends DatabaseOptions {
  service: ServiceName;
  /** Whether the service writes events (an outbox relay runs) or only consumes them. */
  publishesEvents: boolean;
  /** The services it calls synchronously: their URL variables are validated at start. */
  dependencies?: ServiceName[];
  /** The service's own environment variables. */
  environment?: EnvironmentSchema[];
}

/**
 * What every service app is built on: validated configuration, its own migrated database
 * with the outbox and inbox tables, Kafka messaging, and `/health` over both.
 */
export function serviceInfrastructure(options: ServiceInfrastructureOptions): NonNullable<ModuleMetadata['imports']> {
  const { service } = options;
  return [
    ServiceConfigModule.forService(service, {
      environment: [
        databaseEnvironment(service),
        kafkaEnvironment,
        dependencyEnvironment(...(options.dependencies ?? [])),
        ...(options.environment ?? []),
      ],
    }),
    DatabaseModule.forService(service, {
      entities: [OutboxMessage, InboxEvent, InboxAggregateVersion, ...options.entities],
      migrations: [CreateOutbox1764028800000, CreateInbox1764028800001, ...options.migrations],
    }),
    MessagingModule.forService({ groupId: service, relay: options.publishesEvents }),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
  ];
}
