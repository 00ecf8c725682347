import { ConfigType } from '@nestjs/config';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

export const KAFKA_CONFIG = 'kafka';
const BROKER_LIST = /^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/;

export const kafkaConfig = configNamespace(KAFKA_CONFIG, {
  /** A comma list: see kafkaClientConfig. */
  brokers: variable('KAFKA_BROKERS', Joi.string().pattern(BROKER_LIST, 'host:port[,host:port…]').default('127.0.0.1:9092')),
  consumerMaxAttempts: variable('KAFKA_CONSUMER_MAX_ATTEMPTS', Joi.number().integer().min(1).max(20).default(5)),
  consumerRetryBaseMs: variable('KAFKA_CONSUMER_RETRY_BASE_MS', Joi.number().integer().min(1).default(200)),
  outboxPollIntervalMs: variable('OUTBOX_POLL_INTERVAL_MS', Joi.number().integer().min(10).default(200)),
  outboxRetentionMs: variable('OUTBOX_RETENTION_MS', Joi.number().integer().min(0).default(60 * 60 * 1000)),
});

export type KafkaConfig = ConfigType<typeof kafkaConfig>;
