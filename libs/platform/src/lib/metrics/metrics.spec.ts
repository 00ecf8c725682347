import { Logger } from '@nestjs/common';
import Fastify from 'fastify';
import { timeRequests, UNMATCHED_ROUTE } from './http-metrics';
import { MetricName } from './metric-names';
import { refreshOnScrape, scrapeMetrics, SCRAPE_REFRESH_TIMEOUT_MS } from './metrics-registry';

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
