import { KafkaContext } from '@nestjs/microservices';
import { buildEnvelope, PetEventType, PetStatus } from '@petstore/contracts';
import { currentCorrelationId } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher, OutgoingMessage } from '../event-publisher';
import { OutboxService } from '../outbox/outbox.service';
import { KafkaConfig } from '../kafka.config';
import { DLT_HEADERS, EventConsumer } from './event-consumer.service';

const config = { consumerMaxAttempts: 3, consumerRetryBaseMs: 1 } as KafkaConfig;

/** An in-memory stand-in for the inbox tables: what a real transaction would commit or roll back. */
function fakeDatabase() {
  const seen = new Set<string>();
  const versions = new Map<string, number>();
  const manager = {
    query: jest.fn(async (sql: string, params: unknown[]) => {
      if (sql.includes('INSERT INTO inbox_event')) {
        const id = params[0] as string;
        if (seen.has(id)) return [];
        seen.add(id);
        return [{ event_id: id }];
      }
      const key = `${params[0]}:${params[1]}`;
      const version = params[2] as number;
      if ((versions.get(key) ?? 0) >= version) return [];
      versions.set(key, version);
      return [{ version }];
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
  let consumer: EventConsumer;

  beforeEach(() => {
    published = [];
    const publisher = { publish: async (topic: string, messages: OutgoingMessage[]) => void published.push({ topic, messages }) };
    consumer = new EventConsumer(new OutboxService(fakeDatabase().dataSource), publisher as EventPublisher, config, { groupId: 'test-service', relay: false });
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

  it('retries a failing handler and applies the event when it recovers', async () => {
    const handler = jest.fn().mockRejectedValueOnce(new Error('deadlock')).mockResolvedValue(undefined);
    expect(await consumer.consume(contextFor(petEvent(1)), { PET_CREATED: handler })).toBe('applied');
    expect(handler).toHaveBeenCalledTimes(2);
    expect(published).toEqual([]);
  });

  it('parks an event that keeps failing on the dead-letter topic with the error in its headers', async () => {
    const handler = jest.fn().mockRejectedValue(new Error('no such category'));
    const event = petEvent(1);
    expect(await consumer.consume(contextFor(event), { PET_CREATED: handler })).toBe('dead-lettered');
    expect(handler).toHaveBeenCalledTimes(config.consumerMaxAttempts);
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
      [DLT_HEADERS.attempts]: '3',
      'event-type': 'PET_CREATED',
    });
  });

  it('parks a malformed event at once, without calling any handler', async () => {
    const handler = jest.fn();
    expect(await consumer.consume(contextFor({ type: 'PET_CREATED' }), { PET_CREATED: handler })).toBe('dead-lettered');
    expect(handler).not.toHaveBeenCalled();
    expect(published[0].messages[0].headers?.[DLT_HEADERS.error]).toMatch(/eventId must be a UUID/);
  });
});
