import { context, trace } from '@opentelemetry/api';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher, OutgoingMessage } from '../event-publisher';
import { KafkaConfig } from '../kafka.config';
import { OutboxRelay, PendingMessage as Row } from './outbox-relay.service';
import { disableTracing, enableTracing } from '../tracing-on.fixture';

function row(id: number, topic: string, traceparent: string | null = null): Row {
  return { id: String(id), event_id: `e-${id}`, topic, message_key: '7', event_type: 'PET_UPDATED', envelope: { n: id }, traceparent };
}

/** A transaction that answers the relay's statements from `rows`, as outbox_message would. */
function relayOver(rows: Row[], publish: (topic: string, messages: OutgoingMessage[]) => Promise<void>, locked = true, outboxPollIntervalMs = 10) {
  const markedSent: string[] = [];
  const manager = {
    query: async (sql: string, parameters: unknown[] = []) => {
      if (sql.includes('pg_try_advisory_xact_lock')) return [{ locked, synchronous_commit: 'off' }];
      if (sql.trimStart().startsWith('SELECT')) {
        return rows.filter((r) => !markedSent.includes(r.id)).slice(0, parameters[0] as number);
      }
      if (sql.startsWith('UPDATE')) markedSent.push(...(parameters[0] as string[]));
      return [];
    },
  } as unknown as EntityManager;
  const dataSource = {
    transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager),
    // The cleanup of sent rows.
    query: async () => [],
  } as unknown as DataSource;
  const relay = new OutboxRelay(dataSource, { publish } as EventPublisher, { outboxPollIntervalMs } as KafkaConfig);
  return { relay, markedSent };
}

describe('OutboxRelay', () => {
  it('publishes in commit order, one batch per run of the same topic, and marks them sent', async () => {
    const sent: string[] = [];
    const rows = [row(1, 'pet-events'), row(2, 'pet-events'), row(3, 'order-events'), row(4, 'pet-events')];
    const { relay, markedSent } = relayOver(rows, async (topic, messages) => {
      sent.push(`${topic}:${messages.map((m) => JSON.parse(m.value).n).join(',')}`);
    });
    expect(await relay.publishPending()).toBe(4);
    expect(sent).toEqual(['pet-events:1,2', 'order-events:3', 'pet-events:4']);
    expect(markedSent).toEqual(['1', '2', '3', '4']);
  });

  it('splits a backlog of large events into requests well under the broker limit, keeping order', async () => {
    const requests: number[][] = [];
    const rows = Array.from({ length: 12 }, (_, i) => ({ ...row(i + 1, 'pet-events'), envelope: { n: i + 1, name: 'x'.repeat(100_000) } }));
    const { relay, markedSent } = relayOver(rows, async (_topic, messages) => {
      expect(messages.reduce((bytes, m) => bytes + m.value.length, 0)).toBeLessThan(512 * 1024);
      requests.push(messages.map((m) => JSON.parse(m.value).n));
    });
    expect(await relay.publishPending()).toBe(12);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.flat()).toEqual(rows.map((_, i) => i + 1));
    expect(markedSent).toHaveLength(12);
  });

  it('publishes an event committed during a pass right after it, without waiting for the next poll', async () => {
    const rows = [row(1, 'pet-events')];
    let secondPublished: () => void = () => undefined;
    const published = new Promise<void>((resolve) => (secondPublished = resolve));
    const { relay } = relayOver(
      rows,
      async (_topic, messages) => {
        if (messages.some((m) => JSON.parse(m.value).n === 2)) return secondPublished();
        rows.push(row(2, 'pet-events'));
        relay.nudge();
      },
      true,
      3_600_000,
    );
    relay.onApplicationBootstrap();
    await published;
    await relay.beforeApplicationShutdown();
  });

  it('keeps every row when Kafka is unreachable', async () => {
    const { relay, markedSent } = relayOver([row(1, 'pet-events')], async () => {
      throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    });
    await expect(relay.publishPending()).rejects.toThrow(/ECONNREFUSED/);
    expect(markedSent).toEqual([]);
  });

  it('marks what went out before Kafka failed, and nothing after it', async () => {
    let calls = 0;
    const rows = [row(1, 'pet-events'), row(2, 'order-events'), row(3, 'pet-events')];
    const { relay, markedSent } = relayOver(rows, async () => {
      if (++calls === 2) throw new Error('broker went away');
    });
    expect(await relay.publishPending()).toBe(1);
    expect(markedSent).toEqual(['1']);
  });

  it('publishes nothing while another instance holds the relay lock', async () => {
    const publish = jest.fn();
    const { relay } = relayOver([row(1, 'pet-events')], publish, false);
    expect(await relay.publishPending()).toBe(0);
    expect(publish).not.toHaveBeenCalled();
  });

  describe('with tracing on', () => {
    beforeAll(enableTracing);
    afterAll(disableTracing);

    it('publishes each event in the trace of the request that caused it, with its traceparent header', async () => {
      const first = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const second = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const sent: { traces: (string | undefined)[]; headers: (string | undefined)[] }[] = [];
      const rows = [row(1, 'pet-events', first), row(2, 'pet-events', first), row(3, 'pet-events', second), row(4, 'pet-events')];
      const { relay } = relayOver(rows, async (_topic, messages) => {
        sent.push({
          traces: [trace.getSpanContext(context.active())?.traceId],
          headers: messages.map((message) => message.headers?.['traceparent']),
        });
      });
      await relay.publishPending();
      expect(sent).toEqual([
        { traces: ['0af7651916cd43dd8448eb211c80319c'], headers: [first, first] },
        { traces: ['4bf92f3577b34da6a3ce929d0e0e4736'], headers: [second] },
        { traces: [undefined], headers: [undefined] },
      ]);
    });
  });
});
