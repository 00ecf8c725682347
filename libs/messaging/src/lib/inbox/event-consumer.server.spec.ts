import { Logger } from '@nestjs/common';
import { ServerKafka } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import { ConsumerStatus } from './consumer-status';
import { EventConsumerServer } from './event-consumer.server';

type Listener = (event: { payload: Record<string, unknown> }) => void;

function fakeConsumer() {
  const listeners = new Map<string, Listener>();
  const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', CRASH: 'crash', STOP: 'stop' };
  const consumer = { events, on: (name: string, listener: Listener) => listeners.set(name, listener) } as unknown as Consumer;
  return { consumer, emit: (name: string, payload: Record<string, unknown> = {}) => listeners.get(name)?.({ payload }) };
}

describe('EventConsumerServer', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(ServerKafka.prototype, 'bindEvents').mockResolvedValue(undefined);
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
});
