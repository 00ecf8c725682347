import { Logger } from '@nestjs/common';
import Fastify from 'fastify';
import { Counter } from 'prom-client';
import { timeRequests, UNMATCHED_ROUTE } from './http-metrics';
import { MetricName } from './metric-names';
import { metricsCacheConfig, MetricsController } from './metrics.controller';
import { metricsRegistry, refreshOnScrape, scrapeMetrics, SCRAPE_REFRESH_TIMEOUT_MS } from './metrics-registry';

describe('metrics', () => {
  it('times requests by route template and status, never by the raw path', async () => {
    const app = Fastify();
    timeRequests(app);
    app.get<{ Params: { petId: string } }>('/api/v3/pet/:petId', async (request, reply) =>
      reply.status(request.params.petId === '404' ? 404 : 200).send({}),
    );
    for (const url of ['/api/v3/pet/1', '/api/v3/pet/2', '/api/v3/pet/404', '/no/such/path']) await app.inject({ url });
    await app.close();

    const text = await scrapeMetrics();
    const count = (labels: string) => text.match(new RegExp(`^${MetricName.httpRequestDuration}_count\\{${labels}\\} (\\d+)$`, 'm'))?.[1];
    expect(count('method="GET",route="/api/v3/pet/:petId",status_code="200"')).toBe('2');
    expect(count('method="GET",route="/api/v3/pet/:petId",status_code="404"')).toBe('1');
    expect(count(`method="GET",route="${UNMATCHED_ROUTE}",status_code="404"`)).toBe('1');
    expect(text).not.toContain('/api/v3/pet/1"');
  });

  it('answers a scrape even when a gauge source fails or does not answer, saying which did not refresh', async () => {
    const debug = jest.spyOn(Logger, 'debug').mockImplementation(() => undefined);
    const stopFailing = refreshOnScrape(async () => {
      throw new Error('database is away');
    });
    const stopHanging = refreshOnScrape(() => new Promise(() => undefined));
    jest.useFakeTimers();
    try {
      let answered = false;
      const scrape = scrapeMetrics().finally(() => (answered = true));
      await jest.advanceTimersByTimeAsync(SCRAPE_REFRESH_TIMEOUT_MS - 1);
      expect(answered).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await expect(scrape).resolves.toContain(MetricName.httpRequestDuration);
      expect(debug.mock.calls).toEqual([
        ['a metric was not refreshed: database is away', 'Metrics'],
        [`a metric was not refreshed: no answer within ${SCRAPE_REFRESH_TIMEOUT_MS} ms`, 'Metrics'],
      ]);
    } finally {
      jest.useRealTimers();
      debug.mockRestore();
      stopFailing();
      stopHanging();
    }
  });
});

describe('GET /metrics reusing its scrapes', () => {
  const counted = new Counter({ name: 'reuse_spec_events_total', help: 'events the spec counts between scrapes', registers: [metricsRegistry] });
  afterAll(() => metricsRegistry.removeSingleMetric('reuse_spec_events_total'));

  it('answers the text of its last scrape within the period, and scrapes again on every ask without it', async () => {
    const reusing = new MetricsController(60_000);
    const first = await reusing.scrape();
    counted.inc();
    expect(await reusing.scrape()).toBe(first);

    const scrapingEveryAsk = new MetricsController(0);
    const before = await scrapingEveryAsk.scrape();
    counted.inc();
    expect(await scrapingEveryAsk.scrape()).not.toBe(before);
  });

  it('scrapes again once its last scrape is older than the period', async () => {
    const reusing = new MetricsController(50);
    const first = await reusing.scrape();
    counted.inc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await reusing.scrape()).not.toBe(first);
  });

  it('reuses a scrape for a second by default', () => {
    delete process.env['METRICS_CACHE_MS'];
    expect(metricsCacheConfig.read().scrapeReuseMs).toBe(1000);
  });
});
