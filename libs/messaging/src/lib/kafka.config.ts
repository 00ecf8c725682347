import { ConfigType, registerAs } from '@nestjs/config';
import Joi from 'joi';

export const KAFKA_CONFIG = 'kafka';
const BROKER_LIST = /^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/;

export const kafkaEnvironment = {
  KAFKA_BROKERS: Joi.string().pattern(BROKER_LIST, 'host:port[,host:port…]').default('127.0.0.1:9092'),
  KAFKA_CONSUMER_MAX_ATTEMPTS: Joi.number().integer().min(1).max(20).default(5),
  KAFKA_CONSUMER_RETRY_BASE_MS: Joi.number().integer().min(1).default(200),
  OUTBOX_POLL_INTERVAL_MS: Joi.number().integer().min(10).default(200),
  OUTBOX_RETENTION_MS: Joi.number().integer().min(0).default(60 * 60 * 1000),
};

export const kafkaConfig = registerAs(KAFKA_CONFIG, () => ({
  brokers: (process.env['KAFKA_BROKERS'] as string).split(','),
  consumerMaxAttempts: Number(process.env['KAFKA_CONSUMER_MAX_ATTEMPTS']),
  consumerRetryBaseMs: Number(process.env['KAFKA_CONSUMER_RETRY_BASE_MS']),
  outboxPollIntervalMs: Number(process.env['OUTBOX_POLL_INTERVAL_MS']),
  outboxRetentionMs: Number(process.env['OUTBOX_RETENTION_MS']),
}));

export type KafkaConfig = ConfigType<typeof kafkaConfig>;
