import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { ConsumerLagMetrics } from './consumer-lag-metrics';
import { EventPublisher, KAFKA_PRODUCER } from './event-publisher';
import { ConsumerStatus } from './inbox/consumer-status';
import { EventConsumer } from './inbox/event-consumer.service';
import { InboxRetention } from './inbox/inbox-retention';
import { kafkaClientConfig, producerConfig } from './kafka-options';
import { kafkaConfig, KafkaConfig } from './kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { OutboxMetrics } from './outbox/outbox-metrics';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxService } from './outbox/outbox.service';

/** Kafka for one service: a producer-only client, the inbox consumer and its retention, the outbox with its relay, and their metrics. */
@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    const relay = options.relay ? [OutboxRelay] : [];
    return {
      module: MessagingModule,
      global: true,
      imports: [
        ConfigModule.forFeature(kafkaConfig),
        ClientsModule.registerAsync([
          {
            name: KAFKA_PRODUCER,
            imports: [ConfigModule.forFeature(kafkaConfig)],
            inject: [kafkaConfig.KEY],
            useFactory: (config: KafkaConfig) => ({
              transport: Transport.KAFKA,
              options: {
                client: kafkaClientConfig(config, `${options.groupId}-producer`),
                producer: producerConfig(),
                producerOnlyMode: true,
              },
            }),
          },
        ]),
      ],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        EventPublisher,
        OutboxService,
        ConsumerStatus,
        EventConsumer,
        InboxRetention,
        OutboxMetrics,
        ConsumerLagMetrics,
        ...relay,
      ],
      exports: [ConfigModule, MESSAGING_OPTIONS, EventPublisher, OutboxService, ConsumerStatus, EventConsumer, ...relay],
    };
  }
}
