import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { KafkaConfig as KafkaClientConfig, logLevel, Partitioners, ProducerConfig } from 'kafkajs';
import { KAFKA_CONFIG, KafkaConfig } from './kafka.config';

export function kafkaClientConfig(config: KafkaConfig, clientId: string): KafkaClientConfig {
  return {
    clientId,
    brokers: config.brokers.split(','),
    logLevel: logLevel.WARN,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, retries: 8 },
  };
}

/**
 * Ordered, acknowledged by every in-sync replica, one request in flight so a retry cannot
 * overtake; murmur2 (Java-compatible) partitioning so a key lands where other clients put it.
 */
export function producerConfig(): ProducerConfig {
  return {
    createPartitioner: Partitioners.DefaultPartitioner,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 200, retries: 3 },
  };
}

/**
 * The Kafka side of a hybrid app: one consumer group per service, named exactly (no postfix),
 * reading a new group's topics from the beginning so read models see every event.
 */
export function kafkaConsumerOptions(app: INestApplication, groupId: string): KafkaOptions {
  const config = app.get(ConfigService).getOrThrow<KafkaConfig>(KAFKA_CONFIG);
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: kafkaClientConfig(config, `${groupId}-consumer`),
      consumer: {
        groupId,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        allowAutoTopicCreation: false,
      },
      subscribe: { fromBeginning: true },
      producer: producerConfig(),
    },
  };
}
