import { ConfigType } from '@nestjs/config';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';
import { KafkaConfig as KafkaClientConfig } from 'kafkajs';
import { readFileSync } from 'node:fs';

export const KAFKA_CONFIG = 'kafka';
const BROKER_LIST = /^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/;

/** The SASL mechanisms that never send the password itself, so they are safe without TLS. */
type ScramMechanism = 'scram-sha-256' | 'scram-sha-512';

export const kafkaConfig = configNamespace(KAFKA_CONFIG, {
  /** A comma list: see kafkaClientConfig. */
  brokers: variable('KAFKA_BROKERS', Joi.string().pattern(BROKER_LIST, 'host:port[,host:port…]').default('127.0.0.1:9092')),
  /** Who the service is to the cluster; unset for a cluster that takes clients without SASL. */
  saslUsername: variable('KAFKA_SASL_USERNAME', Joi.string<string | undefined>()),
  /** Required with a username: see kafkaSasl. */
  saslPassword: variable('KAFKA_SASL_PASSWORD', Joi.string<string | undefined>()),
  saslMechanism: variable('KAFKA_SASL_MECHANISM', Joi.string<ScramMechanism>().valid('scram-sha-512', 'scram-sha-256').default('scram-sha-512')),
  /** Whether the client speaks TLS to the brokers (a SASL_SSL listener): see kafkaTls. */
  tls: variable('KAFKA_TLS', Joi.boolean().default(false)),
  /** A PEM file of the CA that signed the brokers' certificates, when Node's own CAs do not hold it (a private CA). */
  tlsCaFile: variable('KAFKA_TLS_CA_FILE', Joi.string<string | undefined>()),
  /** Waiting out a transient failure: the first pause of the partition, doubled each time up to the cap. */
  consumerRetryBaseMs: variable('KAFKA_CONSUMER_RETRY_BASE_MS', Joi.number().integer().min(1).default(200)),
  consumerRetryMaxMs: variable('KAFKA_CONSUMER_RETRY_MAX_MS', Joi.number().integer().min(1).default(5000)),
  /** Partitions consumed at once: at least as many as the service's topics have, so none waits for another. */
  consumerConcurrency: variable('KAFKA_CONSUMER_CONCURRENCY', Joi.number().integer().min(1).max(64).default(8)),
  /** A member that stops heartbeating loses its partitions after this long. */
  consumerSessionTimeoutMs: variable('KAFKA_CONSUMER_SESSION_TIMEOUT_MS', Joi.number().integer().min(6000).default(10000)),
  outboxPollIntervalMs: variable('OUTBOX_POLL_INTERVAL_MS', Joi.number().integer().min(10).default(200)),
  outboxRetentionMs: variable(
    'OUTBOX_RETENTION_MS',
    Joi.number()
      .integer()
      .min(0)
      .default(60 * 60 * 1000),
  ),
});

export type KafkaConfig = ConfigType<typeof kafkaConfig>;

/**
 * The client's SASL options: none without a username, so a cluster without SASL still works.
 * A username without a password stops the app where it builds its Kafka clients, at start
 * (each variable is validated on its own, so the schema cannot require one with the other).
 */
export function kafkaSasl(config: KafkaConfig): Pick<KafkaClientConfig, 'sasl'> {
  const { saslMechanism: mechanism, saslUsername: username, saslPassword: password } = config;
  if (!username) return {};
  if (!password) throw new Error('KAFKA_SASL_PASSWORD must be set with KAFKA_SASL_USERNAME');
  // Narrowed one mechanism at a time: kafkajs types each mechanism's options apart.
  return { sasl: mechanism === 'scram-sha-256' ? { mechanism, username, password } : { mechanism, username, password } };
}

/**
 * The client's TLS options: none unless KAFKA_TLS is true. The brokers' certificates are always
 * verified, against the CAs of KAFKA_TLS_CA_FILE when it is set, else Node's own. A CA file
 * without TLS, or one that cannot be read, stops the app where it builds its Kafka clients, at
 * start, rather than connecting without the protection the operator asked for.
 */
export function kafkaTls(config: KafkaConfig): Pick<KafkaClientConfig, 'ssl'> {
  const { tls, tlsCaFile } = config;
  if (!tls) {
    if (tlsCaFile) throw new Error('KAFKA_TLS_CA_FILE is set but KAFKA_TLS is not true: set KAFKA_TLS=true to connect over TLS');
    return {};
  }
  if (!tlsCaFile) return { ssl: true };
  let ca: string;
  try {
    ca = readFileSync(tlsCaFile, 'utf8');
  } catch (error) {
    throw new Error(`KAFKA_TLS_CA_FILE ${tlsCaFile} cannot be read: ${(error as Error).message}`);
  }
  return { ssl: { ca: [ca] } };
}
