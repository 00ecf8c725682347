import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConfig, kafkaConfig, kafkaSasl, kafkaTls } from './kafka.config';

const VARIABLES = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM', 'KAFKA_TLS', 'KAFKA_TLS_CA_FILE'];

function configWith(environment: Record<string, string>): KafkaConfig {
  for (const name of VARIABLES) delete process.env[name];
  Object.assign(process.env, environment);
  return kafkaConfig() as KafkaConfig;
}

afterEach(() => {
  for (const name of VARIABLES) delete process.env[name];
});

describe('Kafka credentials from configuration', () => {
  it('authenticates with SCRAM-SHA-512 as the configured user', () => {
    const config = configWith({ KAFKA_SASL_USERNAME: 'pet-service', KAFKA_SASL_PASSWORD: 'secret' });
    expect(kafkaSasl(config)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'pet-service', password: 'secret' } });
  });

  it('takes SCRAM-SHA-256 for a cluster that uses it', () => {
    const config = configWith({ KAFKA_SASL_USERNAME: 'pet-service', KAFKA_SASL_PASSWORD: 'secret', KAFKA_SASL_MECHANISM: 'scram-sha-256' });
    expect(kafkaSasl(config).sasl).toMatchObject({ mechanism: 'scram-sha-256' });
  });

  it('connects without SASL when no user is configured, for a cluster that takes plain clients', () => {
    expect(kafkaSasl(configWith({}))).toEqual({});
  });

  it('refuses a user without a password, and a mechanism that sends the password in the clear', () => {
    expect(() => kafkaSasl(configWith({ KAFKA_SASL_USERNAME: 'pet-service' }))).toThrow(/KAFKA_SASL_PASSWORD/);
    expect(() => configWith({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});

describe('Kafka TLS from configuration', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('speaks plain TCP unless KAFKA_TLS is true', () => {
    expect(kafkaTls(configWith({}))).toEqual({});
    expect(kafkaTls(configWith({ KAFKA_TLS: 'false' }))).toEqual({});
  });

  it("verifies the brokers against Node's CAs, or against the CA file given", () => {
    expect(kafkaTls(configWith({ KAFKA_TLS: 'true' }))).toEqual({ ssl: true });
    const caFile = join(directory, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nthe CA\n-----END CERTIFICATE-----\n');
    expect(kafkaTls(configWith({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: caFile }))).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nthe CA\n-----END CERTIFICATE-----\n'] },
    });
  });

  it('stops the app for a CA file that cannot be read, a CA file without TLS, and a KAFKA_TLS that is no boolean', () => {
    const missing = join(directory, 'missing.pem');
    expect(() => kafkaTls(configWith({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: missing }))).toThrow(`KAFKA_TLS_CA_FILE ${missing} cannot be read`);
    expect(() => kafkaTls(configWith({ KAFKA_TLS_CA_FILE: join(directory, 'ca.pem') }))).toThrow(/KAFKA_TLS is not true/);
    expect(() => configWith({ KAFKA_TLS: 'sometimes' })).toThrow(/KAFKA_TLS/);
  });
});
