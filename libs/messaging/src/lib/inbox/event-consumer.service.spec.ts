import { KafkaContext } from '@nestjs/microservices';
import { buildEnvelope, DLT_HEADERS, PetEventType, PetStatus } from '@petstore/contracts';
import { currentCorrelationId } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher, OutgoingMessage } from '../event-publisher';
import { OutboxService } from '../outbox/outbox.service';
import { KafkaConfig } from '../kafka.config';
import { ConsumerStatus } from './consumer-status';
import { EventConsumer } from './event-consumer.service';

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
  const dataSource = {
    transaction: async (work: (m: EntityManager) => Promise<unknown>) => {
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
  return { dataSource };
}

function contextFor(value: unknown, offset = '42'): KafkaContext {
  return new KafkaContext([
    { key: '7', value, headers: { 'event-type': 'PET_CREATED' }, offset, timestamp: '0', attributes: 0, size: 0 } as never,
    1,
    'pet-events',
    {} as never,
    async () => undefined,
    {} as never,
  ]);
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

  beforeEach(() => {
    published = [];
    status = new ConsumerStatus();
    status.changedTo('consuming');
    const publisher = { publish: async (topic: string, messages: OutgoingMessage[]) => void published.push({ topic, messages }) };
    consumer = new EventConsumer(new OutboxService(fakeDatabase().dataSource), publisher as EventPublisher, status, config, {
      groupId: 'test-service',
      relay: false,
    });
  });

  it('applies an event once, however often it is delivered', async () => {
    const handler = jest.fn(async () => undefined);
    const event = petEvent(1);
    expect(await consumer.consume(contextFor(event), { PET_CREATED: handler })).toBe('applied');
    expect(await consumer.consume(contextFor(event), { PET_CREATED: handler })).toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("runs the handler under the event's correlation id, so the events it causes carry it", async () => {
    let seen: string | undefined;
    await consumer.consume(contextFor(petEvent(1)), { PET_CREATED: async () => void (seen = currentCorrelationId()) });
    expect(seen).toBe('c');
  });

  it('skips an event older than one already applied for the same aggregate', async () => {
    const handler = jest.fn(async () => undefined);
    await consumer.consume(contextFor(petEvent(3)), { PET_CREATED: handler });
    expect(await consumer.consume(contextFor(petEvent(2)), { PET_CREATED: handler })).toBe('stale');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('ignores event types the service has no handler for', async () => {
    expect(await consumer.consume(contextFor(petEvent(1)), {})).toBe('ignored');
  });

  it('waits out a database that is away: nothing parked, the message tried again with a growing pause, then applied', async () => {
    const databaseAway = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const handler = jest.fn().mockRejectedValueOnce(databaseAway).mockRejectedValueOnce(databaseAway).mockResolvedValue(undefined);
    const context = contextFor(petEvent(1));

    expect(await consumer.consume(context, { PET_CREATED: handler })).toBe('waiting');
    expect(status.takeRetry('pet-events', 1, '42')).toBe(100);
    expect(await consumer.consume(context, { PET_CREATED: handler })).toBe('waiting');
    expect(status.takeRetry('pet-events', 1, '42')).toBe(200);
    expect(status.waitingPartitions).toEqual([expect.objectContaining({ topic: 'pet-events', partition: 1, offset: '42', attempts: 2 })]);

    expect(await consumer.consume(context, { PET_CREATED: handler })).toBe('applied');
    expect(status.takeRetry('pet-events', 1, '42')).toBeUndefined();
    expect(status.waitingPartitions).toEqual([]);
    expect(published).toEqual([]);
  });

  it.each([
    ['a deadlock', '40P01'],
    ['a serialization failure', '40001'],
    ['a lock timeout', '55P03'],
    ['a statement timeout', '57014'],
  ])('waits out %s', async (_kind, code) => {
    const handler = jest.fn().mockRejectedValue(Object.assign(new Error(code), { code }));
    expect(await consumer.consume(contextFor(petEvent(1)), { PET_CREATED: handler })).toBe('waiting');
    expect(published).toEqual([]);
  });

  it('caps the pause between attempts', async () => {
    const handler = jest.fn().mockRejectedValue(Object.assign(new Error('deadlock'), { code: '40P01' }));
    const context = contextFor(petEvent(1));
    for (let attempt = 1; attempt <= 8; attempt++) {
      await consumer.consume(context, { PET_CREATED: handler });
      status.takeRetry('pet-events', 1, '42');
    }
    expect(status.waitingPartitions[0]).toMatchObject({ attempts: 8, retryInMs: config.consumerRetryMaxMs });
  });

  it('parks an event its handler refuses on the dead-letter topic at once, with the error in its headers', async () => {
    const handler = jest.fn().mockRejectedValue(new Error('no such category'));
    const event = petEvent(1);
    expect(await consumer.consume(contextFor(event), { PET_CREATED: handler })).toBe('dead-lettered');
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
    const publisher = {
      publish: async (topic: string, messages: OutgoingMessage[]) => {
        if (kafkaAway) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
        published.push({ topic, messages });
      },
    };
    consumer = new EventConsumer(new OutboxService(fakeDatabase().dataSource), publisher as EventPublisher, status, config, {
      groupId: 'test-service',
      relay: false,
    });
    const handler = jest.fn().mockRejectedValue(new Error('no such category'));
    expect(await consumer.consume(contextFor(petEvent(1)), { PET_CREATED: handler })).toBe('waiting');
    kafkaAway = false;
    expect(await consumer.consume(contextFor(petEvent(1)), { PET_CREATED: handler })).toBe('dead-lettered');
    expect(published).toHaveLength(1);
  });

  it('parks a malformed event at once, without calling any handler', async () => {
    const handler = jest.fn();
    expect(await consumer.consume(contextFor({ type: 'PET_CREATED' }), { PET_CREATED: handler })).toBe('dead-lettered');
    expect(handler).not.toHaveBeenCalled();
    expect(published[0].messages[0].headers?.[DLT_HEADERS.error]).toMatch(/eventId must be a UUID/);
  });
});
