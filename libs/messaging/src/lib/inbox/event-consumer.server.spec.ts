import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, KafkaJSError } from 'kafkajs';
import { ConsumedBatch } from './consumed-batch';
import { ConsumerStatus } from './consumer-status';
import { BATCH_HOLD_LIMIT_MS, EventConsumerServer, OFFSET_COMMIT_INTERVAL_MS } from './event-consumer.server';

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
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
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
      commitOffsetsIfNecessary: jest.fn(async () => undefined),
      uncommittedOffsets: jest.fn(() => uncommitted),
    } as unknown as EachBatchPayload;
    return { payload, resume };
  }

  const uncommitted = { topics: [{ topic: 'pet-events', partitions: [{ partition: 2, offset: '9' }] }] };

  /** Whether a commit of every uncommitted offset was asked for, whatever the interval. */
  function committedAtOnce(payload: EachBatchPayload): boolean {
    return jest.mocked(payload.commitOffsetsIfNecessary).mock.calls.some(([offsets]) => offsets === uncommitted);
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

  it("leaves a batch's offsets to kafkajs' commit interval, then commits what is left once no batch follows", async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async () => undefined, true);
    const { payload } = batchPayload(['7', '8']);
    await server.handleBatch(payload);
    expect(payload.commitOffsetsIfNecessary).toHaveBeenCalledWith();
    expect(committedAtOnce(payload)).toBe(false);
    await jest.advanceTimersByTimeAsync(OFFSET_COMMIT_INTERVAL_MS - 1);
    expect(committedAtOnce(payload)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(committedAtOnce(payload)).toBe(true);
  });

  it('puts off the idle commit while batches keep coming', async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async () => undefined, true);
    const first = batchPayload(['7']).payload;
    const second = batchPayload(['8']).payload;
    await server.handleBatch(first);
    await jest.advanceTimersByTimeAsync(OFFSET_COMMIT_INTERVAL_MS / 2);
    await server.handleBatch(second);
    await jest.advanceTimersByTimeAsync(OFFSET_COMMIT_INTERVAL_MS);
    expect(committedAtOnce(first)).toBe(false);
    expect(committedAtOnce(second)).toBe(true);
  });

  it('commits at once what is left when the service stops, and after a batch that ends during the stop', async () => {
    const { status, server, close } = setUp();
    let finishBatch = () => undefined as void;
    server.addHandler(
      'pet-events',
      (_data: unknown, batch: ConsumedBatch) =>
        batch.messages[0].offset === '7' ? Promise.resolve() : new Promise<void>((resolve) => (finishBatch = resolve)),
      true,
    );
    const idle = batchPayload(['7']).payload;
    await server.handleBatch(idle);
    const inFlight = batchPayload(['8']).payload;
    const handling = server.handleBatch(inFlight);
    await status.onModuleDestroy();
    expect(committedAtOnce(idle)).toBe(true);
    expect(close).toHaveBeenCalled();
    finishBatch();
    await handling;
    expect(committedAtOnce(inFlight)).toBe(true);
  });

  it('pauses the partition of a message to try again and hands kafkajs a retriable error, resuming after the backoff', async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async (_data: unknown, batch: ConsumedBatch) => batch.retryLater('8', 400), true);
    const { payload, resume } = batchPayload(['7', '8']);
    const handled = server.handleBatch(payload);
    await expect(handled).rejects.toThrow(KafkaJSError);
    await expect(handled).rejects.toMatchObject({ retriable: true, message: 'pet-events[2]@8 is tried again in 400 ms' });
    expect(committedAtOnce(payload)).toBe(true);
    expect(payload.pause).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(399);
    expect(resume).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(resume).toHaveBeenCalledTimes(1);
  });

  /** A handler whose batch at offset '8' runs until finished, marking it done (or to try again) then. */
  function slowBatchHandler(server: EventConsumerServer, retryInMs?: number) {
    let finish = () => undefined as void;
    server.addHandler(
      'pet-events',
      async (_data: unknown, batch: ConsumedBatch) => {
        await new Promise<void>((resolve) => (finish = resolve));
        if (retryInMs === undefined) batch.done('8');
        else batch.retryLater('8', retryInMs);
      },
      true,
    );
    return { finish: () => finish() };
  }

  it('lets a batch still running after BATCH_HOLD_LIMIT_MS go on by itself, its partition paused and named slow, so the next fetch is not held; the partition resumes once it is done', async () => {
    const { server, status } = setUp();
    const slow = slowBatchHandler(server);
    const { payload, resume } = batchPayload(['8']);
    let returned = false;
    void server.handleBatch(payload).then(() => (returned = true));

    await jest.advanceTimersByTimeAsync(BATCH_HOLD_LIMIT_MS - 1);
    expect(returned).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(returned).toBe(true);
    expect(payload.pause).toHaveBeenCalledTimes(1);
    expect(resume).not.toHaveBeenCalled();
    expect(status.slowPartitions).toEqual([{ topic: 'pet-events', partition: 2, since: expect.any(Date) }]);

    slow.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(payload.resolveOffset).toHaveBeenCalledWith('8');
    expect(committedAtOnce(payload)).toBe(true);
    expect(resume).toHaveBeenCalledTimes(1);
    expect(status.slowPartitions).toEqual([]);
  });

  it('resumes the partition of a batch that went on by itself after the backoff when it ends with a message to try again', async () => {
    const { server } = setUp();
    const slow = slowBatchHandler(server, 400);
    const { payload, resume } = batchPayload(['8']);
    await Promise.all([server.handleBatch(payload), jest.advanceTimersByTimeAsync(BATCH_HOLD_LIMIT_MS)]);

    slow.finish();
    await jest.advanceTimersByTimeAsync(399);
    expect(resume).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('stops a batch going on by itself once a rebalance moved its partition to another member: it marks nothing done and commits nothing', async () => {
    const { server } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    let handed: ConsumedBatch | undefined;
    let finish = () => undefined as void;
    server.addHandler(
      'pet-events',
      async (_data: unknown, batch: ConsumedBatch) => {
        handed = batch;
        await new Promise<void>((resolve) => (finish = resolve));
        batch.done('8');
      },
      true,
    );
    const { payload, resume } = batchPayload(['8']);
    await Promise.all([server.handleBatch(payload), jest.advanceTimersByTimeAsync(BATCH_HOLD_LIMIT_MS)]);

    emit('join', { memberAssignment: { 'pet-events': [0, 1] } });
    expect(handed?.interrupted).toBe(true);
    finish();
    await jest.advanceTimersByTimeAsync(OFFSET_COMMIT_INTERVAL_MS);
    expect(payload.resolveOffset).not.toHaveBeenCalled();
    expect(payload.commitOffsetsIfNecessary).not.toHaveBeenCalled();
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('lets a batch going on by itself finish as before when the rebalance left its partition here', async () => {
    const { server } = setUp();
    const { consumer, emit } = fakeConsumer();
    await server.bindEvents(consumer);
    const slow = slowBatchHandler(server);
    const { payload, resume } = batchPayload(['8']);
    await Promise.all([server.handleBatch(payload), jest.advanceTimersByTimeAsync(BATCH_HOLD_LIMIT_MS)]);

    emit('join', { memberAssignment: { 'pet-events': [1, 2] } });
    slow.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(payload.resolveOffset).toHaveBeenCalledWith('8');
    expect(committedAtOnce(payload)).toBe(true);
    expect(resume).toHaveBeenCalledTimes(1);
  });

  it('waits for a batch that went on by itself before it commits and closes at a stop', async () => {
    const { status, server, close } = setUp();
    const slow = slowBatchHandler(server);
    const { payload } = batchPayload(['8']);
    await Promise.all([server.handleBatch(payload), jest.advanceTimersByTimeAsync(BATCH_HOLD_LIMIT_MS)]);

    const stopped = status.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(5000);
    expect(close).not.toHaveBeenCalled();
    slow.finish();
    await stopped;
    expect(payload.resolveOffset).toHaveBeenCalledWith('8');
    expect(committedAtOnce(payload)).toBe(true);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('subscribes to the topics of its handlers and consumes them in batches whose offsets it resolves itself', async () => {
    const { server } = setUp();
    server.addHandler('pet-events', async () => undefined, true);
    const { consumer } = fakeConsumer();
    await server.bindEvents(consumer);
    expect(consumer.subscribe).toHaveBeenCalledWith(expect.objectContaining({ topics: ['pet-events'] }));
    expect(consumer.run).toHaveBeenCalledWith(
      expect.objectContaining({
        autoCommit: false,
        autoCommitInterval: OFFSET_COMMIT_INTERVAL_MS,
        eachBatchAutoResolve: false,
        eachBatch: expect.any(Function),
      }),
    );
  });
});
