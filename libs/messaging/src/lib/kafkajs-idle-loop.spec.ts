import { kafkaClientConfig } from './kafka-options';
import { kafkaConfig } from './kafka.config';
import { KafkajsRequestQueue, kafkajsRequestQueueClass } from './kafkajs-idle-loop';
import { countedRequestQueue } from './kafkajs-request-queue.fixture';

type QueueWithCounter = KafkajsRequestQueue & {
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
};

function requestQueue(): { queue: QueueWithCounter; checks: () => number } {
  const { queue, looks } = countedRequestQueue();
  return { queue: queue as QueueWithCounter, checks: looks };
}

describe("kafkajs' request queue, as the apps' Kafka clients run it", () => {
  beforeAll(() => kafkaClientConfig({ ...kafkaConfig.read(), brokers: 'localhost:9092' }, 'spec'));
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('looks at an idle queue once when an answer comes, not every millisecond after it', () => {
    const { queue, checks } = requestQueue();
    queue.checkPendingRequests();
    jest.advanceTimersByTime(1000);
    expect(checks()).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
    queue.destroy();
  });

  it('still looks again at a request that waits for one in flight, until it can go', () => {
    const { queue, checks } = requestQueue();
    const sent: number[] = [];
    const request = (correlationId: number) => ({
      entry: { correlationId, apiKey: 1, apiName: 'Fetch', apiVersion: 11, resolve: () => undefined, reject: () => undefined },
      expectResponse: true,
      sendRequest: () => sent.push(correlationId),
    });
    queue.push(request(1));
    queue.push(request(2));
    expect(sent).toEqual([1]);
    jest.advanceTimersByTime(25);
    expect(checks()).toBeGreaterThanOrEqual(2);
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    queue.destroy();
  });

  it('looks again when a throttle the broker asked for ends', () => {
    const { queue, checks } = requestQueue();
    queue.maybeThrottle(500);
    queue.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(499);
    expect(checks()).toBe(0);
    jest.advanceTimersByTime(2);
    expect(checks()).toBe(1);
    queue.destroy();
  });

  it("is the queue kafkajs' connections make", () => {
    const Connection = require('kafkajs/src/network/connection') as new (options: object) => { requestQueue: object };
    const logger = { namespace: () => ({ debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }) };
    const connection = new Connection({
      host: 'localhost',
      port: 9092,
      logger,
      socketFactory: () => undefined,
      requestTimeout: 30000,
      connectionTimeout: 1000,
    });
    expect(connection.requestQueue).toBeInstanceOf(kafkajsRequestQueueClass() as unknown as new () => object);
  });
});
