import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, KafkaJSError } from 'kafkajs';
import { ConsumedBatch } from './consumed-batch';
import { ConsumerStatus } from './consumer-status';
import { EventConsumerServer } from './event-consumer.server';

type Listener = (event: { payload: Record<string, unknown> }) => void;

function fakeConsumer() {
  const listeners = new Map<string, Listener>();
  const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop' };
  const consumer = {
    events,
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    subscribe: jest.fn(async () => undefined),
    run: jest.fn(async () => undefined),
  } as unknown as Consumer;
  return { consumer, emit: (name: string, payload: Record<string, unknown> = {}) => listeners.get(name)?.({ payload }) };
}

describe('EventConsumerServer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  function setUp() {
    const status = new ConsumerStatus();
    const server = new EventConsumerServer({ client: { brokers: ['127.0.0.1:9092'] }, consumer: { groupId: 'g' } }, status);
    const close = jest.spyOn(server, 'close').mockResolvedValue(undefined);
    const listen = jest.spyOn(server, 'listen').mockImplementation(async (callback: (error?: unknown) => void) => callback());
    return { status, server, close, listen };
  }

  it('reports starting until the first join, then rebalancing and joining again, to the consumer status', async () => {
    const { status, server } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    emit('rebalancing');
    expect(status.state).toBe('starting');
    emit('join');
    expect(status.state).toBe('consuming');
    emit('rebalancing');
    expect(status.state).toBe('rebalancing');
    emit('join');
    expect(status.state).toBe('consuming');
  });

  it('starts a consumer again that crashed on an error kafkajs does not restart after', async () => {
    const { status, server, close, listen } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    emit('crash', { restart: false, error: new Error('Failed to find group coordinator') });
    expect(status.state).toBe('crashed');
    await jest.advanceTimersByTimeAsync(2000);
    expect(close).toHaveBeenCalledTimes(1);
    expect(listen).toHaveBeenCalledTimes(1);
  });

  it('leaves a crash kafkajs restarts itself to kafkajs', async () => {
    const { server, listen } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    emit('crash', { restart: true, error: new Error('Connection error') });
    await jest.advanceTimersByTimeAsync(5000);
    expect(listen).not.toHaveBeenCalled();
  });

  it('does not start again once the service is stopping', async () => {
    const { status, server, listen } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    emit('crash', { restart: false, error: new Error('gone') });
    await status.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(5000);
    expect(listen).not.toHaveBeenCalled();
  });

  function batchPayload(offsets: string[]) {
    const resume = jest.fn();
    const payload = {
      batch: { topic: 'pet-events', partition: 2, messages: offsets.map((offset) => ({ offset })) },
      resolveOffset: jest.fn(),
      heartbeat: jest.fn(async () => undefined),
      isRunning: () => true,
      isStale: () => false,
      pause: jest.fn(() => resume),
    } as unknown as EachBatchPayload;
    return { payload, resume };
  }

  it("hands the topic's handler the whole batch, and nothing more happens when it applied every message", async () => {
    const { server } = setUp();
    const handled: ConsumedBatch[] = [];
    server.addHandler('pet-events', async (_data: unknown, batch: ConsumedBatch) => void handled.push(batch), true);
    const { payload } = batchPayload(['7', '8']);
    await server.handleBatch(payload);
    expect(handled.map((batch) => batch.messages.map(({ offset }) => offset))).toEqual([['7', '8']]);
    expect(payload.pause).not.toHaveBeenCalled();
  });

  it('pauses the partition of a message to try again and hands kafkajs a retriable error, resuming after the backoff', async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async (_data: unknown, batch: ConsumedBatch) => batch.retryLater('8', 400), true);
    const { payload, resume } = batchPayload(['7', '8']);
    const handled = server.handleBatch(payload);
    await expect(handled).rejects.toThrow(KafkaJSError);
    await expect(handled).rejects.toMatchObject({ retriable: true, message: 'pet-events[2]@8 is tried again in 400 ms' });
    expect(payload.pause).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(399);
    expect(resume).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('subscribes to the topics of its handlers and consumes them in batches whose offsets it resolves itself', async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async () => undefined, true);
    const { consumer } = fakeConsumer();
    await server.bindEvents(consumer);
    expect(consumer.subscribe).toHaveBeenCalledWith(expect.objectContaining({ topics: ['pet-events'] }));
    expect(consumer.run).toHaveBeenCalledWith(expect.objectContaining({ eachBatchAutoResolve: false, eachBatch: expect.any(Function) }));
  });
});
