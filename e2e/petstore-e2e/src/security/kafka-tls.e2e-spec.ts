import { readFileSync } from 'node:fs';
import type { KafkaConfig } from 'kafkajs';
import { eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { kafkaClient } from '../support/kafka';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { createPet } from '../store/store-fixtures';

const APPS_OVER_TLS = ['pet-service', 'inventory-service'];

/** Connects to the TLS listener as the suite's own principal and reads a topic's partitions; fails at the first refusal. */
async function partitionsOf(topic: string, ssl: KafkaConfig['ssl']): Promise<number> {
  const brokers = [stack.kafkaTlsEnvironment()?.KAFKA_BROKERS as string];
  const admin = kafkaClient('kafka-tls-e2e', stack.kafkaSasl('e2e'), { brokers, ssl, connectionTimeout: 3000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return metadata.partitions.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// Only the suite's own broker has the TLS listener kafka.sh sets up; a cluster of the caller's has its own.
const describeOwnBroker = stack.kafkaTlsEnvironment() ? describe : describe.skip;

describeOwnBroker('Kafka over TLS (KAFKA_TLS, KAFKA_TLS_CA_FILE)', () => {
  const tls = () => stack.kafkaTlsEnvironment() as NonNullable<ReturnType<typeof stack.kafkaTlsEnvironment>>;

  afterAll(async () => {
    for (const app of APPS_OVER_TLS) await stack.stopApp(app);
    for (const app of APPS_OVER_TLS) await stack.restartApp(app, SUITE_ENVIRONMENT);
  }, 120_000);

  it("serves a client that trusts the broker's CA, and refuses one speaking plain TCP and one that does not trust the CA", async () => {
    const ca = readFileSync(tls().KAFKA_TLS_CA_FILE, 'utf8');
    expect(await partitionsOf('pet-events', { ca: [ca] })).toBe(3);
    await expect(partitionsOf('pet-events', undefined)).rejects.toThrow(/Closed connection/);
    await expect(partitionsOf('pet-events', true)).rejects.toThrow(/self-signed certificate in certificate chain/);
  });

  it('carries an event from an app to another when both speak TLS: a pet pet-service publishes is counted by inventory-service', async () => {
    for (const app of APPS_OVER_TLS) await stack.stopApp(app);
    for (const app of APPS_OVER_TLS) await stack.restartApp(app, { ...SUITE_ENVIRONMENT, ...tls() });

    const pet = await createPet('over-tls');

    const counted = await eventually(
      () =>
        inDatabase('inventory-service', async (client) => {
          const { rows } = await client.query<{ status: string }>('SELECT status FROM inventory_pet WHERE pet_id = $1', [pet.id]);
          return rows[0];
        }),
      20000,
      'inventory-service counting the pet',
    );
    expect(counted).toEqual({ status: 'available' });
  }, 120_000);
});
