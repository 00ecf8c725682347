import { ConfigType } from '@nestjs/config';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

export const KAFKA_CONFIG = 'kafka';
const BROKER_LIST = /^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/;

export const kafkaConfig = configNamespace(KAFKA_CONFIG, {
  /** A comma list: see kafkaClientConfig. */
  brokers: variable('KAFKA_BROKERS', Joi.string().pattern(BROKER_LIST, 'host:port[,host:port…]').default('127.0.0.1:9092')),
  /** Waiting out a transient failure: the first pause of the partition, doubled each time up to the cap. */
  consumerRetryBaseMs: variable('KAFKA_CONSUMER_RETRY_BASE_MS', Joi.number().integer().min(1).default(200)),
  consumerRetryMaxMs: variable('KAFKA_CONSUMER_RETRY_MAX_MS', Joi.number().integer().min(1).default(5000)),
  /** Partitions consumed at once: at least as many as the service's topics have, so none waits for another. */
  consumerConcurrency: variable('KAFKA_CONSUMER_CONCURRENCY', Joi.number().integer().min(1).max(64).default(8)),
  /** A member that stops heartbeating loses its partitions after this long. */
  consumerSessionTimeoutMs: variable('KAFKA_CONSUMER_SESSION_TIMEOUT_MS', Joi.number().integer().min(6000).default(10000)),
  outboxPollIntervalMs: variable('OUTBOX_POLL_INTERVAL_MS', Joi.number().integer().min(10).default(200)),
  outboxRetentionMs: variable('OUTBOX_RETENTION_MS', Joi.number().integer().min(0).default(60 * 60 * 1000)),
});

export type KafkaConfig = ConfigType<typeof kafkaConfig>;
