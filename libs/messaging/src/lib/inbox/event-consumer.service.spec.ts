import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { buildEnvelope, DLT_HEADERS, PetEventType, PetStatus } from '@petstore/contracts';
import { currentCorrelationId, DatabaseSilentError } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher, OutgoingMessage } from '../event-publisher';
import { OutboxService } from '../outbox/outbox.service';
import { KafkaConfig } from '../kafka.config';
import { ConsumedBatch } from './consumed-batch';
import { EVENT_OUTCOME_ATTRIBUTE, ROLLED_BACK } from './consumed-event-span';
import { ConsumerStatus } from './consumer-status';
import { EventConsumer, EventHandlers, MAX_EVENTS_PER_TRANSACTION } from './event-consumer.service';

const config = { consumerRetryBaseMs: 100, consumerRetryMaxMs: 1000 } as KafkaConfig;

/** An in-memory stand-in for the inbox tables: what a real transaction would commit or roll back. */
function fakeDatabase() {
  const seen = new Set<string>();
  const versions = new Map<string, number>();
  const manager = {
    // The inbox statement: record the event id, and only then advance its aggregate's version.
    query: jest.fn(async (_sql: string, params: unknown[]) => {
      const [id, topic, , aggregateId, version] = params as [string, string, string, string, number];
      if (seen.has(id)) return [{ recorded: 0, advanced: 0 }];
      seen.add(id);
      const key = `${topic}:${aggregateId}`;
      if ((versions.get(key) ?? 0) >= version) return [{ recorded: 1, advanced: 0 }];
      versions.set(key, version);
      return [{ recorded: 1, advanced: 1 }];
    }),
  } as unknown as EntityManager;
  let transactions = 0;
  const dataSource = {
    transaction: async (work: (m: EntityManager) => Promise<unknown>) => {
      transactions += 1;
      const snapshot = { seen: new Set(seen), versions: new Map(versions) };
      try {
        return await work(manager);
      } catch (error) {
        seen.clear();
        snapshot.seen.forEach((id) => seen.add(id));
        versions.clear();
        snapshot.versions.forEach((v, k) => versions.set(k, v));
        throw error;
      }
    },
  } as unknown as DataSource;
  return { dataSource, transactions: () => transactions };
}

/** A fetched batch of one partition of pet-events, recording which offsets were marked done. */
function batchOf(values: unknown[], firstOffset = 42) {
  const done: string[] = [];
  const messages = values.map((value, index) => ({
    key: Buffer.from('7'),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: { 'event-type': Buffer.from('PET_CREATED') },
    offset: String(firstOffset + index),
    timestamp: '0',
    attributes: 0,
    size: 0,
  }));
  const batch = new ConsumedBatch({
    batch: { topic: 'pet-events', partition: 1, messages } as never,
    resolveOffset: (offset: string) => void done.push(offset),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  });
  return { batch, done };
}

function petEvent(version: number) {
  return buildEnvelope({
    type: PetEventType.PetCreated,
    aggregateId: 7,
    aggregateVersion: version,
    correlationId: 'c',
    payload: { id: 7, name: 'Rex', status: PetStatus.Available, tags: [], photoUrls: [] },
  });
}

describe('EventConsumer', () => {
  let published: { topic: string; messages: OutgoingMessage[] }[];
  let status: ConsumerStatus;
  let consumer: EventConsumer;
  let database: ReturnType<typeof fakeDatabase>;

  function consumerPublishingTo(publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>): EventConsumer {
    return new EventConsumer(new OutboxService(database.dataSource), { publish } as EventPublisher, status, config, {
      groupId: 'test-service',
      relay: false,
    });
  }

  /** Consumes the values as one batch and answers which offsets were marked done and what is to be tried again. */
  async function consume(values: unknown[], handlers: EventHandlers) {
    const { batch, done } = batchOf(values);
    await consumer.consume(batch, handlers);
    return { done, retry: batch.pendingRetry };
  }

  beforeEach(() => {
    published = [];
    status = new ConsumerStatus();
    status.changedTo('consuming');
    database = fakeDatabase();
    consumer = consumerPublishingTo(async (topic, messages) => void published.push({ topic, messages }));
  });

  it('applies an event once, however often it is delivered', async () => {
    const handler = jest.fn(async () => undefined);
    const event = petEvent(1);
    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: ['42'], retry: undefined });
    expect(await consume([event, event], { PET_CREATED: handler })).toEqual({ done: ['42', '43'], retry: undefined });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('applies the events of a batch in one transaction, in order, and runs what their handlers leave for after the commit once it is done', async () => {
    const applied: number[] = [];
    const afterCommit: number[] = [];
    const handler = jest.fn(async (event: { aggregateVersion: number }) => {
      applied.push(event.aggregateVersion);
      expect(afterCommit).toEqual([]);
      return () => void afterCommit.push(event.aggregateVersion);
    });
    const { done } = await consume([petEvent(1), petEvent(2), petEvent(3)], { PET_CREATED: handler });
    expect(database.transactions()).toBe(1);
    expect(applied).toEqual([1, 2, 3]);
    expect(afterCommit).toEqual([1, 2, 3]);
    expect(done).toEqual(['42', '43', '44']);
  });

  it('applies at most MAX_EVENTS_PER_TRANSACTION events in one transaction', async () => {
    const events = Array.from({ length: MAX_EVENTS_PER_TRANSACTION + 1 }, (_, index) => petEvent(index + 1));
    const { done } = await consume(events, { PET_CREATED: async () => undefined });
    expect(database.transactions()).toBe(2);
    expect(done).toHaveLength(MAX_EVENTS_PER_TRANSACTION + 1);
  });

  it("runs each handler under its event's correlation id, so the events it causes carry it", async () => {
    const seen: string[] = [];
    const handler = async () => void seen.push(currentCorrelationId());
    await consume(
      [
        { ...petEvent(1), correlationId: 'first' },
        { ...petEvent(2), correlationId: 'second' },
      ],
      { PET_CREATED: handler },
    );
    expect(seen).toEqual(['first', 'second']);
  });

  it('skips an event older than one already applied for the same aggregate', async () => {
    const handler = jest.fn(async () => undefined);
    const { done } = await consume([petEvent(3), petEvent(2)], { PET_CREATED: handler });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(done).toEqual(['42', '43']);
  });

  it('marks event types the service has no handler for done without a transaction', async () => {
    expect(await consume([petEvent(1), petEvent(2)], {})).toEqual({ done: ['42', '43'], retry: undefined });
    expect(database.transactions()).toBe(0);
  });

  it('applies a batch whose transaction failed one event at a time, running after-commit work only for what committed', async () => {
    const afterCommit = jest.fn();
    const handler = jest.fn().mockResolvedValueOnce(afterCommit).mockRejectedValueOnce(new Error('no such category')).mockResolvedValue(afterCommit);
    const { done } = await consume([petEvent(1), petEvent(2)], { PET_CREATED: handler });
    expect(done).toEqual(['42', '43']);
    expect(afterCommit).toHaveBeenCalledTimes(2);
    expect(published.map(({ topic }) => topic)).toEqual([]);
  });

  it('applies the rest of a batch when one of its events is refused, and parks that one', async () => {
    const [first, refused, third] = [petEvent(1), petEvent(2), petEvent(3)];
    const handler = jest.fn(async (event: { eventId: string }) => {
      if (event.eventId === refused.eventId) throw new Error('no such category');
    });
    const { done } = await consume([first, refused, third], { PET_CREATED: handler });
    expect(done).toEqual(['42', '43', '44']);
    expect(published).toHaveLength(1);
    expect(JSON.parse(published[0].messages[0].value)).toEqual(refused);
    handler.mockClear();
    await consume([first, third], { PET_CREATED: handler });
    expect(handler).not.toHaveBeenCalled();
  });

  it('waits out a database that is away: nothing parked, the message tried again with a growing pause, then applied', async () => {
    const databaseAway = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const handler = jest.fn().mockRejectedValueOnce(databaseAway).mockRejectedValueOnce(databaseAway).mockResolvedValue(undefined);
    const event = petEvent(1);

    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: [], retry: { offset: '42', inMs: 100 } });
    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: [], retry: { offset: '42', inMs: 200 } });
    expect(status.waitingPartitions).toEqual([expect.objectContaining({ topic: 'pet-events', partition: 1, offset: '42', attempts: 2 })]);

    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: ['42'], retry: undefined });
    expect(status.waitingPartitions).toEqual([]);
    expect(published).toEqual([]);
  });

  it.each([
    ['left a statement unanswered', new DatabaseSilentError(35000)],
    ['refused a change as read-only', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ['ran out of disk space', Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' })],
  ])('waits out a database that %s, rather than parking the event', async (_, failure) => {
    const handler = jest.fn().mockRejectedValueOnce(failure).mockResolvedValue(undefined);
    const event = petEvent(1);

    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: [], retry: { offset: '42', inMs: 100 } });
    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: ['42'], retry: undefined });
    expect(published).toEqual([]);
  });

  it('stops a batch at a message to wait out: those before it are done, it and those after it come again', async () => {
    const databaseAway = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const second = petEvent(2);
    const handler = jest.fn(async (event: { eventId: string }) => {
      if (event.eventId === second.eventId) throw databaseAway;
    });
    expect(await consume([petEvent(1), second, petEvent(3)], { PET_CREATED: handler })).toEqual({
      done: ['42'],
      retry: { offset: '43', inMs: 100 },
    });
    expect(published).toEqual([]);
  });

  it.each([
    ['a deadlock', '40P01'],
    ['a serialization failure', '40001'],
    ['a lock timeout', '55P03'],
    ['a statement timeout', '57014'],
  ])('waits out %s', async (_kind, code) => {
    const handler = jest.fn().mockRejectedValue(Object.assign(new Error(code), { code }));
    expect((await consume([petEvent(1)], { PET_CREATED: handler })).retry).toEqual({ offset: '42', inMs: 100 });
    expect(published).toEqual([]);
  });

  it('caps the pause between attempts', async () => {
    const handler = jest.fn().mockRejectedValue(Object.assign(new Error('deadlock'), { code: '40P01' }));
    const event = petEvent(1);
    for (let attempt = 1; attempt <= 8; attempt++) await consume([event], { PET_CREATED: handler });
    expect(status.waitingPartitions[0]).toMatchObject({ attempts: 8, retryInMs: config.consumerRetryMaxMs });
  });

  it('parks an event its handler refuses on the dead-letter topic at once, with the error in its headers', async () => {
    const handler = jest.fn().mockRejectedValue(new Error('no such category'));
    const event = petEvent(1);
    expect(await consume([event], { PET_CREATED: handler })).toEqual({ done: ['42'], retry: undefined });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('pet-events.DLT');
    const [message] = published[0].messages;
    expect(JSON.parse(message.value)).toEqual(event);
    expect(message.key).toBe('7');
    expect(message.headers).toMatchObject({
      [DLT_HEADERS.error]: 'no such category',
      [DLT_HEADERS.originalTopic]: 'pet-events',
      [DLT_HEADERS.originalPartition]: '1',
      [DLT_HEADERS.originalOffset]: '42',
      [DLT_HEADERS.consumerGroup]: 'test-service',
      'event-type': 'PET_CREATED',
    });
    expect(status.parkedSinceStart).toBe(1);
  });

  it('waits out a Kafka that cannot take the parked message, and parks it once Kafka is back', async () => {
    let kafkaAway = true;
    consumer = consumerPublishingTo(async (topic, messages) => {
      if (kafkaAway) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      published.push({ topic, messages });
    });
    const handler = jest.fn().mockRejectedValue(new Error('no such category'));
    expect((await consume([petEvent(1)], { PET_CREATED: handler })).retry).toEqual({ offset: '42', inMs: 100 });
    kafkaAway = false;
    expect(await consume([petEvent(1)], { PET_CREATED: handler })).toEqual({ done: ['42'], retry: undefined });
    expect(published).toHaveLength(1);
  });

  it('parks a malformed event at once, without calling any handler, and applies the rest of its batch', async () => {
    const handler = jest.fn(async () => undefined);
    const { done } = await consume([{ type: 'PET_CREATED' }, 'not json', petEvent(1)], { PET_CREATED: handler });
    expect(done).toEqual(['42', '43', '44']);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(published.map(({ messages }) => messages[0].headers?.[DLT_HEADERS.error])).toEqual([
      expect.stringMatching(/eventId must be a UUID/),
      'invalid event: the message value is not a JSON object',
    ]);
    expect(published[1].messages[0].value).toBe('not json');
  });

  describe("each event's span", () => {
    const exporter = new InMemorySpanExporter();

    beforeAll(() => trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })));
    afterAll(() => trace.disable());
    beforeEach(() => exporter.reset());

    /** The outcomes the finished spans name, in the order they ended, by the offset of their message. */
    function outcomesByOffset() {
      const outcomes: Record<string, unknown[]> = {};
      for (const span of exporter.getFinishedSpans()) {
        (outcomes[String(span.attributes['messaging.kafka.offset'])] ??= []).push(span.attributes[EVENT_OUTCOME_ATTRIBUTE]);
      }
      return outcomes;
    }

    it('names its outcome once the batch has committed', async () => {
      await consume([petEvent(1), petEvent(2)], { PET_CREATED: async () => undefined });
      expect(outcomesByOffset()).toEqual({ 42: ['applied'], 43: ['applied'] });
    });

    it('says rolled-back, not applied, for the events of a batch whose transaction rolled back, and traces each one handled again on its own', async () => {
      const refused = petEvent(2);
      const handler = jest.fn(async (event: { eventId: string }) => {
        if (event.eventId === refused.eventId) throw new Error('no such category');
      });
      await consume([petEvent(1), refused, petEvent(3)], { PET_CREATED: handler });
      expect(outcomesByOffset()).toEqual({ 42: [ROLLED_BACK, 'applied'], 43: [ROLLED_BACK, 'dead-lettered'], 44: ['applied'] });
      const refusedInBatch = exporter.getFinishedSpans().find((span) => span.attributes['messaging.kafka.offset'] === 43);
      expect(refusedInBatch?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such category' });
    });
  });
});
