import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';
import { MetricName } from './metric-names';
import { metricsRegistry } from './metrics-registry';

/** Requests that matched no route share one label, so probing random paths cannot add series. */
export const UNMATCHED_ROUTE = 'unmatched';

const requestDuration = new Histogram({
  name: MetricName.httpRequestDuration,
  help: 'Time from a request arriving to its response being sent, by route template and status',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Times every request; the route is the template that matched (`/api/v3/pet/:petId`), never the raw path. */
export function timeRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    timeRequest(request, reply, request.routeOptions.url ?? UNMATCHED_ROUTE);
    done();
  });
}

/** Times one answered request under `route`: one the router refused runs no hook, so its answer times it here. */
export function timeRequest(request: FastifyRequest, reply: FastifyReply, route = UNMATCHED_ROUTE): void {
  requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
}
