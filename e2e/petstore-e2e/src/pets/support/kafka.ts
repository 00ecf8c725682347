import { randomUUID } from 'node:crypto';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS } from '../../support/environment';

export interface Envelope<P = Record<string, unknown>> {
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  aggregateId: string;
  aggregateVersion: number;
  correlationId: string;
  payload: P;
}

export interface LoggedMessage {
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  envelope: Envelope;
}

function kafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
}

/**
 * Everything on a topic from its beginning, read in a throwaway consumer group, each
 * partition offset once: what the broker really holds, duplicates included.
 */
export class TopicLog {
  private readonly byPosition = new Map<string, LoggedMessage>();

  private constructor(
    private readonly topic: string,
    private readonly consumer: Consumer,
    private readonly admin: Admin,
  ) {}

  static async start(topic: string): Promise<TopicLog> {
    const client = kafka('pets-e2e-topic-log');
    const consumer = client.consumer({ groupId: `pets-e2e-${randomUUID()}` });
    const admin = client.admin();
    const log = new TopicLog(topic, consumer, admin);
    await admin.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = value.toString();
        }
        let envelope: Envelope;
        try {
          envelope = JSON.parse(message.value?.toString() ?? '') as Envelope;
        } catch {
          return;
        }
        log.byPosition.set(`${partition}:${message.offset}`, {
          partition,
          offset: Number(message.offset),
          key: message.key?.toString() ?? null,
          headers,
          envelope,
        });
      },
    });
    return log;
  }

  /** The messages keyed by this pet id, in the order the broker holds them (one partition per key). */
  forKey(key: string | number): LoggedMessage[] {
    return [...this.byPosition.values()]
      .filter((message) => message.key === String(key))
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  }

  /** Waits until this log has read every partition up to the end it has now. */
  async catchUp(timeoutMs = 30000): Promise<void> {
    const ends = await this.admin.fetchTopicOffsets(this.topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = ends.filter(({ partition, high, low }) => {
        if (Number(high) <= Number(low)) return false;
        return !this.byPosition.has(`${partition}:${Number(high) - 1}`);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`topic log did not reach the end of partitions ${behind.map((p) => p.partition)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.disconnect();
  }
}

/** Publishes a message as a service's relay would: the key is the pet id. */
export async function publish(topic: string, key: string, value: unknown, headers: Record<string, string> = {}): Promise<void> {
  const producer = kafka('pets-e2e-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value: JSON.stringify(value), headers }] });
  } finally {
    await producer.disconnect();
  }
}

/** Waits until a service's consumer group has committed every message now on the topic. */
export async function waitForGroupToCatchUp(groupId: string, topic: string, timeoutMs = 30000): Promise<void> {
  const admin = kafka('pets-e2e-admin').admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = ends.filter(({ partition, high, low }) => {
        const offset = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return Number(high) > Number(low) && Number(offset) < Number(high);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${groupId} did not catch up on ${topic} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await admin.disconnect();
  }
}
