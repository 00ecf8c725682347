import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';

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
 * Reads topics from their current end in a throwaway consumer group and keeps every message:
 * how end-to-end specs and operators see what really went over the broker.
 */
export class TopicObserver {
  readonly messages: ObservedMessage[] = [];

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string[], topics: string[]): Promise<TopicObserver> {
    const kafka = new Kafka({ clientId: 'topic-observer', brokers, logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `topic-observer-${randomUUID()}` });
    const observer = new TopicObserver(consumer);
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const text = message.value?.toString() ?? '';
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // keep the raw string
        }
        const headers: Record<string, string> = {};
        for (const [name, header] of Object.entries(message.headers ?? {})) {
          if (header !== undefined) headers[name] = header.toString();
        }
        observer.messages.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, headers, value });
      },
    });
    await joined;
    return observer;
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

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
