import { randomUUID } from 'node:crypto';
import { deadLetterTopicOf, Topics } from '@petstore/contracts';
import { SASLOptions } from 'kafkajs';
import { kafkaClient, TopicObserver } from '../support/kafka';
import { stack } from '../support/stack';

/** Sends one message as the given client, failing at the first refusal instead of retrying. */
async function send(sasl: SASLOptions | undefined, topic: string, key = randomUUID()): Promise<void> {
  const producer = kafkaClient('kafka-acl-e2e', sasl).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key, value: JSON.stringify({ probe: key }) }] });
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

// Only the suite's own broker has the project's principals; a cluster of the caller's has its own.
const describeOwnBroker = process.env['KAFKA_BROKERS'] ? describe.skip : describe;

describeOwnBroker('Kafka authenticates every client and holds each principal to its ACLs', () => {
  const inventoryService = (): SASLOptions => stack.kafkaSasl('inventory-service') as SASLOptions;

  it('closes the connection of a client that does not authenticate', async () => {
    await expect(send(undefined, Topics.PetEvents)).rejects.toThrow(/Closed connection/);
  });

  it('refuses a principal with a wrong password', async () => {
    const wrongPassword: SASLOptions = { mechanism: 'scram-sha-512', username: 'inventory-service', password: 'not-the-password' };
    await expect(send(wrongPassword, Topics.PetEvents)).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
    });
  });

  it("refuses inventory-service's principal writing pet-events, which only pet-service writes", async () => {
    await expect(send(inventoryService(), Topics.PetEvents)).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
  });

  it("lets inventory-service's principal park a message on pet-events.DLT, as its consumer does", async () => {
    const deadLetters = deadLetterTopicOf(Topics.PetEvents);
    const observer = await TopicObserver.start([deadLetters]);
    try {
      const key = randomUUID();
      await send(inventoryService(), deadLetters, key);
      await observer.waitFor((message) => message.key === key);
    } finally {
      await observer.stop();
    }
  });
});
