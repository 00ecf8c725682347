import { randomUUID } from 'node:crypto';
import { fixKafkajsIdleLoop } from '@petstore/messaging/kafkajs';
import { Admin, ConfigResourceTypes, Consumer, Kafka, KafkaConfig, logLevel, SASLOptions } from 'kafkajs';
import { KAFKA_BROKERS } from './environment';
import { stack } from './stack';

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

/** One message as the broker holds it. */
export interface ObservedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** The value parsed as JSON, or the raw string when it is not JSON. */
  value: unknown;
}

/**
 * A client of the suite's brokers logging in with `sasl`, or not at all without it; `options`
 * replace the defaults (other brokers, TLS, timeouts). Every kafkajs client of the suite is made
 * here, after kafkajs' idle loop is fixed.
 */
export function kafkaClient(clientId: string, sasl: SASLOptions | undefined, options: Partial<KafkaConfig> = {}): Kafka {
  fixKafkajsIdleLoop();
  return new Kafka({ clientId, brokers: KAFKA_BROKERS.split(','), sasl, logLevel: logLevel.NOTHING, ...options });
}

/** A client as the suite's own principal. */
function kafka(clientId: string): Kafka {
  return kafkaClient(clientId, stack.kafkaSasl('e2e'));
}

/**
 * Reads topics in a throwaway consumer group — from their current end, or from the beginning
 * — and keeps each partition offset once: what really went over the broker, duplicates included.
 */
export class TopicObserver {
  private readonly byPosition = new Map<string, ObservedMessage>();

  private constructor(
    private readonly topics: string[],
    private readonly consumer: Consumer,
    private readonly admin: Admin,
  ) {}

  static async start(topics: string[], options: { fromBeginning?: boolean } = {}): Promise<TopicObserver> {
    const client = kafka('e2e-topic-observer');
    const consumer = client.consumer({ groupId: `e2e-topic-observer-${randomUUID()}` });
    const admin = client.admin();
    const observer = new TopicObserver(topics, consumer, admin);
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await admin.connect();
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const text = message.value?.toString() ?? '';
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // not JSON: keep the raw string
        }
        const headers: Record<string, string> = {};
        for (const [name, header] of Object.entries(message.headers ?? {})) {
          if (header !== undefined) headers[name] = header.toString();
        }
        observer.byPosition.set(`${topic}:${partition}:${message.offset}`, {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          headers,
          value,
        });
      },
    });
    await joined;
    return observer;
  }

  get messages(): ObservedMessage[] {
    return [...this.byPosition.values()];
  }

  /** Waits until `count` messages match, or fails after `timeoutMs` naming how many did. */
  async waitFor(predicate: (message: ObservedMessage) => boolean, count = 1, timeoutMs = 20000): Promise<ObservedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.messages.filter(predicate);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} matching message(s) within ${timeoutMs} ms, saw ${matching.length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The messages keyed by this pet id, in the order the broker holds them (one partition per key). */
  forKey(key: string | number): ObservedMessage[] {
    return this.messages
      .filter((message) => message.key === String(key))
      .sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  }

  /** Waits until this observer has read every partition up to the end it has now. */
  async catchUp(timeoutMs = 30000): Promise<void> {
    const ends = (
      await Promise.all(this.topics.map(async (topic) => (await this.admin.fetchTopicOffsets(topic)).map((end) => ({ topic, ...end }))))
    ).flat();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = ends.filter(({ topic, partition, high, low }) => {
        if (Number(high) <= Number(low)) return false;
        return !this.byPosition.has(`${topic}:${partition}:${Number(high) - 1}`);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`observer did not reach the end of ${behind.map((end) => `${end.topic}[${end.partition}]`).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.disconnect();
  }
}

/** Marks a message a spec published (a copy sent again, say), so specs of what the relays publish can leave it out. */
export const PUBLISHED_BY_A_SPEC_HEADER = 'e2e-published-by-a-spec';

/** Publishes a message as a service's relay would (the key is the pet id), marked PUBLISHED_BY_A_SPEC_HEADER. */
export async function publish(topic: string, key: string, value: unknown, headers: Record<string, string> = {}): Promise<void> {
  const producer = kafka('pets-e2e-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value: JSON.stringify(value), headers: { ...headers, [PUBLISHED_BY_A_SPEC_HEADER]: 'true' } }] });
  } finally {
    await producer.disconnect();
  }
}

/** A topic's settings as the broker holds them (name to value), read as the broker's admin: the suite's principal may not. */
export async function topicConfig(topic: string): Promise<Record<string, string>> {
  const admin = kafkaClient('e2e-config-reader', stack.kafkaSasl('admin')).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
    return Object.fromEntries(resources[0].configEntries.map((entry) => [entry.configName, entry.configValue]));
  } finally {
    await admin.disconnect();
  }
}

/** The offsets a consumer group has committed now, by `topic[partition]` (-1 where it committed none). */
export async function committedOffsets(groupId: string, topics: string[]): Promise<Record<string, number>> {
  const admin = kafka('e2e-offsets-admin').admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics });
    return Object.fromEntries(
      committed.flatMap(({ topic, partitions }) => partitions.map(({ partition, offset }) => [`${topic}[${partition}]`, Number(offset)])),
    );
  } finally {
    await admin.disconnect();
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

/**
 * Deletes every message of the topic up to its current end, as the broker's retention would
 * once they are older than it: a consumer group whose committed offsets fall before the new
 * start never gets them. Only on the suite's own broker, as its admin: never on a cluster of
 * the caller's, whose messages are theirs.
 */
export async function expireMessages(topic: string): Promise<void> {
  if (process.env['KAFKA_BROKERS'])
    throw new Error(`expiring ${topic}'s messages runs only on the suite's own broker, not on the cluster KAFKA_BROKERS names`);
  const admin = kafkaClient('e2e-retention', stack.kafkaSasl('admin')).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.deleteTopicRecords({ topic, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
  } finally {
    await admin.disconnect();
  }
}
