import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PROBE_TIMEOUT_MS, ServiceClient, ServiceName } from '@petstore/platform';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SERVICE_PROBE_TIMEOUT_MS, ServicesHealthProbe } from './services-health.probe';

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

/** Takes connections and answers nothing, as a service whose process is suspended. */
function hungService(): Promise<Server> {
  const server = createServer(() => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function healthyService(details: Record<string, { status: string; state?: string }> = {}): Promise<Server> {
  const server = createServer((_request, response) => response.end(JSON.stringify({ status: 'ok', info: details, error: {}, details })));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('ServicesHealthProbe', () => {
  const servers: Server[] = [];
  const clients: ServiceClient[] = [];

  /** A probe over services answering as `serverOf` says (a port: nothing listens there); those it leaves out answer plainly healthy. */
  async function probeOver(serverOf: Partial<Record<ServiceName, Server | number>>): Promise<ServicesHealthProbe> {
    const healthy = await healthyService();
    servers.push(healthy, ...Object.values(serverOf).filter((server): server is Server => server instanceof Server));
    const clientOf = (service: ServiceName) => {
      const server = serverOf[service] ?? healthy;
      const port = typeof server === 'number' ? server : (server.address() as AddressInfo).port;
      const client = new ServiceClient(service, `http://127.0.0.1:${port}`);
      clients.push(client);
      return client;
    };
    const moduleRef = { get: (token: string) => clientOf(token.split(':')[1] as ServiceName) } as unknown as ModuleRef;
    return new ServicesHealthProbe(new HealthIndicatorService(), moduleRef);
  }

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    for (const server of servers) server.close();
  });

  it("reports a service that takes its own probes' full timeout to answer 503 as down, not unreachable", async () => {
    const probe = await probeOver({ 'user-service': await serviceWhoseDatabaseProbeTimesOut() });

    const result = await probe.check();

    expect(result['services']).toEqual({
      status: 'down',
      'user-service': 'down (503)',
      'pet-service': 'up',
      'photo-service': 'up',
      'order-service': 'up',
      'inventory-service': 'up',
    });
  });

  it('reports a service that takes the connection and answers nothing as giving no answer, and one that refuses it as unreachable', async () => {
    const closed = await healthyService();
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const probe = await probeOver({ 'user-service': await hungService(), 'photo-service': closedPort });

    const result = await probe.check();

    expect(result['services']).toMatchObject({
      status: 'down',
      'user-service': `no answer within ${SERVICE_PROBE_TIMEOUT_MS} ms`,
      'photo-service': 'unreachable',
      'pet-service': 'up',
    });
  }, 10000);

  it('stays up when a service is up but impaired, and names what is impaired: its database read-only, its consumer degraded', async () => {
    const probe = await probeOver({
      'pet-service': await healthyService({ database: { status: 'up', state: 'read-only' }, consumer: { status: 'up', state: 'degraded' } }),
      'order-service': await healthyService({ database: { status: 'up' }, consumer: { status: 'up', state: 'consuming' } }),
    });

    const result = await probe.check();

    expect(result['services']).toEqual({
      status: 'up',
      'user-service': 'up',
      'pet-service': 'up (database read-only, consumer degraded)',
      'photo-service': 'up',
      'order-service': 'up',
      'inventory-service': 'up',
    });
  });
});
