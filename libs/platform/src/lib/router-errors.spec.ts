import Fastify from 'fastify';
import { UNMATCHED_ROUTE } from './metrics/http-metrics';
import { MetricName } from './metrics/metric-names';
import { metricsRegistry } from './metrics/metrics-registry';
import { answerRouterErrors, MAX_PATH_PARAMETER_LENGTH } from './router-errors';

/** How many requests the metrics timed as matching no route, answered with `status`. */
async function timedUnmatched(status: number): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(MetricName.httpRequestDuration)?.get();
  const count = metric?.values.find(
    (value) =>
      (value as { metricName?: string }).metricName === `${MetricName.httpRequestDuration}_count` &&
      value.labels['route'] === UNMATCHED_ROUTE &&
      value.labels['status_code'] === String(status),
  );
  return count?.value ?? 0;
}

describe('answerRouterErrors', () => {
  const app = Fastify({ frameworkErrors: answerRouterErrors, routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH } });
  app.get('/users/:username', async (request) => request.params);

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it('answers a path that is not valid percent-encoding 400 in the one error shape', async () => {
    const answer = await app.inject({ method: 'GET', url: '/users/%E0%A4%A' });
    expect({ status: answer.statusCode, sniffing: answer.headers['x-content-type-options'], body: answer.json() }).toEqual({
      status: 400,
      sniffing: 'nosniff',
      body: { statusCode: 400, error: 'Bad Request', message: "the request's path is not valid percent-encoding" },
    });
  });

  it('times each refusal in the metrics as a request no route matched', async () => {
    const [badBefore, longBefore] = [await timedUnmatched(400), await timedUnmatched(414)];
    await app.inject({ method: 'GET', url: '/users/%E0%A4%A' });
    await app.inject({ method: 'GET', url: `/users/${'a'.repeat(MAX_PATH_PARAMETER_LENGTH + 1)}` });
    expect([await timedUnmatched(400), await timedUnmatched(414)]).toEqual([badBefore + 1, longBefore + 1]);
  });

  it('answers a path parameter over the limit 414 naming the limit, without echoing the path', async () => {
    const answer = await app.inject({ method: 'GET', url: `/users/${'a'.repeat(MAX_PATH_PARAMETER_LENGTH + 1)}` });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 414,
      body: {
        statusCode: 414,
        error: 'Uri Too Long',
        message: `a segment of the request's path is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
      },
    });
  });

  it('lets a parameter at the limit through to its route', async () => {
    const username = 'a'.repeat(MAX_PATH_PARAMETER_LENGTH);
    const answer = await app.inject({ method: 'GET', url: `/users/${username}` });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({ status: 200, body: { username } });
  });
});
