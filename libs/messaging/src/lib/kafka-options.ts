import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CustomStrategy, KafkaOptions } from '@nestjs/microservices';
import { KafkaConfig as KafkaClientConfig, logLevel, Partitioners, ProducerConfig } from 'kafkajs';
import { ConsumerStatus } from './inbox/consumer-status';
import { EventConsumerServer } from './inbox/event-consumer.server';
import { KAFKA_CONFIG, KafkaConfig, kafkaSasl, kafkaTls } from './kafka.config';
import { kafkaLogCreator } from './kafka-logger';
import { fixKafkajsIdleLoop } from './kafkajs-idle-loop';

/**
 * Every Kafka client of the apps is configured here: kafkajs' idle loop is fixed before the first
 * connects, and its logs go through the app's logger without the copies its retries make.
 */
export function kafkaClientConfig(config: KafkaConfig, clientId: string): KafkaClientConfig {
  fixKafkajsIdleLoop();
  return {
    clientId,
    brokers: config.brokers.split(','),
    ...kafkaSasl(config),
    ...kafkaTls(config),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(clientId),
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
 * How long the broker may hold a consumer's fetch when nothing is there to read (kafkajs'
 * default: 5 s). kafkajs lets the fetch in flight finish before it stops a consumer, and fetches a
 * resumed partition only with the next one (tulios/kafkajs#1606, #1655, unmerged): the default
 * made every stop of an idle service take up to 5 s, and delayed a message waited out after a
 * transient failure by as much. With data to read, a fetch answers at once, whatever this is; the
 * price is an empty fetch a second per idle consumer (docs/decisions.md).
 */
export const CONSUMER_MAX_WAIT_MS = 1000;

/**
 * How soon a consumer's fetch answers once there is something to read. `prompt`: at the first
 * message, for a consumer that someone waits on (a placement waits for PET_RESERVED, a store
 * owner reads inventory's counts). `batched`: once a megabyte is there or CONSUMER_MAX_WAIT_MS
 * has passed, for a consumer nothing waits on: under load one fetch then brings a second's
 * messages instead of one, and neither the broker nor the service handles a fetch per message.
 */
export type ConsumerPace = 'prompt' | 'batched';

const FETCH_MIN_BYTES: Record<ConsumerPace, number> = { prompt: 1, batched: 1024 * 1024 };

/**
 * The Kafka side of a hybrid app: one consumer group per service, named exactly (no postfix),
 * reading a new group's topics from the beginning so read models see every event, its
 * partitions consumed concurrently (each one in order).
 *
 * A partition waiting out a transient failure is paused and its message handed back to kafkajs
 * (see EventConsumer), which then restarts its fetch loop: the consumer's own retry keeps that
 * restart short and never gives up, so the other partitions pause for at most a second.
 */
export function kafkaConsumerOptions(app: INestApplication, groupId: string, pace: ConsumerPace = 'prompt'): CustomStrategy {
  const config = app.get(ConfigService).getOrThrow<KafkaConfig>(KAFKA_CONFIG);
  const options: Required<KafkaOptions>['options'] = {
    postfixId: '',
    client: kafkaClientConfig(config, `${groupId}-consumer`),
    consumer: {
      groupId,
      sessionTimeout: config.consumerSessionTimeoutMs,
      rebalanceTimeout: config.consumerSessionTimeoutMs,
      heartbeatInterval: Math.floor(config.consumerSessionTimeoutMs / 10),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS,
      minBytes: FETCH_MIN_BYTES[pace],
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: Number.MAX_SAFE_INTEGER },
    },
    subscribe: { fromBeginning: true },
    run: { partitionsConsumedConcurrently: config.consumerConcurrency },
    producer: producerConfig(),
  };
  return { strategy: new EventConsumerServer(options, app.get(ConsumerStatus)) };
}
