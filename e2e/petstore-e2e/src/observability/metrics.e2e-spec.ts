import { MetricName, SERVICE_NAMES, ServiceName } from '@petstore/platform';
import { eventually } from '../support/api';
import { stack } from '../support/stack';
import { signUpCustomer } from '../support/users';
import { createPet, placeOrder } from '../store/store-fixtures';
import { scrape } from './metrics';
import { valueOf } from './prometheus-text';

const DATABASE_SERVICES: ServiceName[] = ['user-service', 'pet-service', 'photo-service', 'order-service', 'inventory-service'];
const MESSAGING_SERVICES: ServiceName[] = ['pet-service', 'photo-service', 'order-service', 'inventory-service'];
const OUTAGE_TIMEOUT_MS = 300_000;

describe('GET /metrics on every app', () => {
  beforeAll(async () => {
    const [customer, pet] = await Promise.all([signUpCustomer('metered'), createPet('metered-pet')]);
    const placed = await placeOrder(customer.token, { petId: pet.id, quantity: 1 });
    expect([200, 202]).toContain(placed.status);
    // Its events reach order-service and inventory-service.
    await eventually(
      async () => {
        const metrics = await scrape('inventory-service');
        return valueOf(metrics, MetricName.inboxEvents, { topic: 'order-events', outcome: 'applied' }) ? true : undefined;
      },
      60_000,
      'the order consumed by inventory-service',
    );
  });

  it.each(SERVICE_NAMES)('%s answers Prometheus text with request durations, memory and event-loop delay', async (app) => {
    const metrics = await scrape(app);
    expect(metrics.types.get(MetricName.httpRequestDuration)).toBe('histogram');
    expect(valueOf(metrics, MetricName.residentMemory)).toBeGreaterThan(0);
    expect(valueOf(metrics, MetricName.eventLoopDelayP99)).toBeGreaterThanOrEqual(0);
  });

  it('times the gateway by route template and status, not by the path a client sent', async () => {
    const metrics = await scrape('api-gateway');
    const placed = valueOf(metrics, `${MetricName.httpRequestDuration}_count`, {
      method: 'POST',
      route: '/api/v3/store/order',
      status_code: '200',
    });
    expect(placed).toBeGreaterThanOrEqual(1);
    const routes = metrics.samples
      .filter((sample) => sample.name === `${MetricName.httpRequestDuration}_count`)
      .map((sample) => sample.labels['route']);
    expect(routes.filter((route) => /\/\d+(\/|$)/.test(route))).toEqual([]);
  });

  it.each(DATABASE_SERVICES)('%s reports its database pool', async (app) => {
    const metrics = await scrape(app);
    expect(valueOf(metrics, MetricName.dbPoolInUse)).toBeGreaterThanOrEqual(0);
    expect(valueOf(metrics, MetricName.dbPoolWaiting)).toBeGreaterThanOrEqual(0);
  });

  it.each(MESSAGING_SERVICES)('%s reports its outbox, its inbox outcomes and its consumer lag per topic and partition', async (app) => {
    const metrics = await eventually(
      async () => {
        const scraped = await scrape(app);
        return scraped.samples.some((sample) => sample.name === MetricName.consumerLag && sample.labels['topic'] && sample.labels['partition'])
          ? scraped
          : undefined;
      },
      60_000,
      `${app}'s consumer lag`,
    );
    expect(valueOf(metrics, MetricName.outboxBacklog)).toBeGreaterThanOrEqual(0);
    expect(valueOf(metrics, MetricName.outboxOldestUnsentAge)).toBeGreaterThanOrEqual(0);
    expect(metrics.types.get(MetricName.inboxEvents)).toBe('counter');
  });

  it('counts the events order-service applied', async () => {
    const metrics = await scrape('order-service');
    expect(valueOf(metrics, MetricName.inboxEvents, { topic: 'pet-events', outcome: 'applied' })).toBeGreaterThanOrEqual(1);
  });

  it(
    "shows pet-service's outbox backlog growing while Kafka is away, and back to zero once it returns",
    async () => {
      stack.kafka('stop');
      try {
        await createPet('unpublished-pet');
        const waiting = await eventually(
          async () => {
            const metrics = await scrape('pet-service');
            const backlog = valueOf(metrics, MetricName.outboxBacklog) ?? 0;
            return backlog >= 1 && (valueOf(metrics, MetricName.outboxOldestUnsentAge) ?? 0) > 0 ? backlog : undefined;
          },
          30_000,
          'a backlog in the outbox',
        );
        expect(waiting).toBeGreaterThanOrEqual(1);
      } finally {
        stack.kafka('start');
      }
      await eventually(
        async () => {
          const metrics = await scrape('pet-service');
          return valueOf(metrics, MetricName.outboxBacklog) === 0 && valueOf(metrics, MetricName.outboxOldestUnsentAge) === 0 ? true : undefined;
        },
        120_000,
        'the outbox backlog published',
      );
    },
    OUTAGE_TIMEOUT_MS,
  );
});
