import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PROBE_TIMEOUT_MS, ServiceClient, ServiceName } from '@petstore/platform';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ServicesHealthProbe } from './services-health.probe';

/**
 * Answers /health like a service whose database probe gave up after its full timeout, a little
 * late. Not later: the gateway's wait (a second more) fires up to half a second late or, by the
 * coarse timers undici checks it with, on time, and a busy machine delays this answer too.
 */
function serviceWhoseDatabaseProbeTimesOut(): Promise<Server> {
  const server = createServer((_request, response) => {
    setTimeout(() => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'error', error: { database: { status: 'down' } } }));
    }, PROBE_TIMEOUT_MS + 300);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function healthyService(): Promise<Server> {
  const server = createServer((_request, response) => response.end(JSON.stringify({ status: 'ok' })));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('ServicesHealthProbe', () => {
  const servers: Server[] = [];
  const clients: ServiceClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    for (const server of servers) server.close();
  });

  it("reports a service that takes its own probes' full timeout to answer 503 as down, not unreachable", async () => {
    const slow = await serviceWhoseDatabaseProbeTimesOut();
    const healthy = await healthyService();
    servers.push(slow, healthy);
    const clientOf = (service: ServiceName) => {
      const server = service === 'user-service' ? slow : healthy;
      const client = new ServiceClient(service, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      clients.push(client);
      return client;
    };
    const moduleRef = { get: (token: string) => clientOf(token.split(':')[1] as ServiceName) } as unknown as ModuleRef;

    const result = await new ServicesHealthProbe(new HealthIndicatorService(), moduleRef).check();

    expect(result['services']).toEqual({
      status: 'down',
      'user-service': 'down (503)',
      'pet-service': 'up',
      'photo-service': 'up',
      'order-service': 'up',
      'inventory-service': 'up',
    });
  });
});
