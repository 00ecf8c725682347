import { KafkaConfig, kafkaConfig, kafkaSasl } from './kafka.config';

const SASL_VARIABLES = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM'];

function configWith(environment: Record<string, string>): KafkaConfig {
  Object.assign(process.env, environment);
  return kafkaConfig() as KafkaConfig;
}

describe('Kafka credentials from configuration', () => {
  afterEach(() => {
    for (const name of SASL_VARIABLES) delete process.env[name];
  });

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
