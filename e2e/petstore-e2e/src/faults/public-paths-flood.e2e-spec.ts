import { MetricName } from '@petstore/platform';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { eventually } from '../support/api';
import { GATEWAY_URL } from '../support/environment';
import { stack } from '../support/stack';
import { atTheDefaultOf, HealthAnswer } from './support/faults';

const DEFAULT_HEALTH_CACHE_MS = 500;
const ASKS = 400;
const AT_ONCE = 40;
const FLOOD_PERIODS = 3;

/** How many times pet-service answered its /health: the gateway's /health asks it once per check. */
async function healthChecksOfPetService(): Promise<number> {
  return (
    valueOf(await scrape('pet-service'), `${MetricName.httpRequestDuration}_count`, { method: 'GET', route: '/health', status_code: '200' }) ?? 0
  );
}

async function gatewayHealth(): Promise<HealthAnswer> {
  const response = await fetch(`${GATEWAY_URL}/health`);
  return { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
}

/**
 * The gateway's /health is public and asks every service's, each of which asks its database
 * and the broker: answered afresh every time, a flood of it from one client (never limited, as
 * probes must be served) cost the machine about 30 ms of CPU an ask, and everyone's reads waited.
 * The gateway runs here with its default HEALTH_CACHE_MS (the suite's checks every ask, so that
 * its specs see a fault at once), restarted before and after.
 */
describe("a client flooding the gateway's /health", () => {
  atTheDefaultOf('api-gateway', 'HEALTH_CACHE_MS');
  afterAll(() => stack.freezeApp('photo-service', false));

  it(`costs the services one check per ${DEFAULT_HEALTH_CACHE_MS} ms, however many asks; a service that stops answering still shows within the period`, async () => {
    const checksBefore = await healthChecksOfPetService();
    const began = Date.now();
    const statuses: number[] = [];
    // The flood outlasts a few periods: the verdict of the check that found the restarted gateway
    // healthy would otherwise answer all of it, and no check be made during it.
    while (statuses.length < ASKS || Date.now() - began < FLOOD_PERIODS * DEFAULT_HEALTH_CACHE_MS) {
      statuses.push(...(await Promise.all(Array.from({ length: AT_ONCE }, async () => (await gatewayHealth()).status))));
    }
    const elapsedMs = Date.now() - began;
    const checks = (await healthChecksOfPetService()) - checksBefore;

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Each check starts once the verdict before it is older than the period.
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThanOrEqual(Math.floor(elapsedMs / DEFAULT_HEALTH_CACHE_MS) + 1);

    stack.freezeApp('photo-service', true);
    await eventually(
      async () => {
        const health = await gatewayHealth();
        return health.status === 503 ? health : undefined;
      },
      15_000,
      "the gateway's /health naming a frozen photo-service",
    );
    stack.freezeApp('photo-service', false);
    await eventually(async () => ((await gatewayHealth()).status === 200 ? true : undefined), 15_000, 'the gateway healthy again');
  });
});

const DEFAULT_METRICS_CACHE_MS = 1000;

async function gatewayMetricsText(): Promise<string> {
  const response = await fetch(`${GATEWAY_URL}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/**
 * The gateway's /metrics is public too (Prometheus scrapes without a token): each scrape cost the
 * gateway about 1.5 ms of CPU, and a flood of them from one client took a single read's p50 from
 * 3 to 114 ms. The gateway runs here with its default METRICS_CACHE_MS (the suite's scrapes every
 * ask, so that its specs see a counter move at once), restarted before and after.
 */
describe("a client flooding the gateway's /metrics", () => {
  atTheDefaultOf('api-gateway', 'METRICS_CACHE_MS');

  it(`is answered one scrape per ${DEFAULT_METRICS_CACHE_MS} ms, however many asks; a later scrape shows what changed`, async () => {
    const began = Date.now();
    const bodies = new Set<string>();
    for (let sent = 0; sent < ASKS; sent += AT_ONCE) {
      for (const body of await Promise.all(Array.from({ length: AT_ONCE }, gatewayMetricsText))) bodies.add(body);
    }
    const elapsedMs = Date.now() - began;

    // Every answered ask is counted in the request histogram, so each scrape's text differs from the last one's.
    expect(bodies.size).toBeGreaterThanOrEqual(1);
    expect(bodies.size).toBeLessThanOrEqual(Math.floor(elapsedMs / DEFAULT_METRICS_CACHE_MS) + 1);

    const lastOfFlood = await gatewayMetricsText();
    await eventually(async () => ((await gatewayMetricsText()) !== lastOfFlood ? true : undefined), 10_000, 'a scrape newer than the flood');
  });
});
