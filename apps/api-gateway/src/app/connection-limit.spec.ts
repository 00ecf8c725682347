import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricName, metricsRegistry } from '@petstore/platform';
import { AddressInfo, connect, Socket } from 'node:net';
import { connectionLimitConfig, limitConnectionsPerClient } from './connection-limit';
import { trustProxySetting, trustsProxyAt } from './trust-proxy';

@Controller()
class ProbeController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const CAP = 2;
const REFUSAL_MESSAGE = `too many connections from this client: at most ${CAP} open at once`;

async function gatewayCappedAt(maxPerClient: number, trustProxy = 'false'): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter(), { logger: false });
  limitConnectionsPerClient(app.getHttpServer(), { maxPerClient }, trustsProxyAt(trustProxySetting(trustProxy)));
  await app.listen(0, '127.0.0.1');
  return app;
}

function openConnection(app: NestFastifyApplication, localAddress = '127.0.0.1'): Promise<Socket> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends a request for /health on the connection, asking it closed after, and answers everything the server sent. */
function healthOver(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
    socket.write('GET /health HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n');
  });
}

function bodyOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

async function refusedConnections(): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(MetricName.httpConnectionsRefused)?.get();
  return metric?.values[0]?.value ?? 0;
}

describe('the per-client connection limit', () => {
  let app: NestFastifyApplication;
  const held: Socket[] = [];
  const hold = async (localAddress?: string) => {
    const socket = await openConnection(app, localAddress);
    held.push(socket);
    return socket;
  };

  afterEach(async () => {
    held.splice(0).forEach((socket) => socket.destroy());
    await app.close();
  });

  it('answers a connection past the cap 429 in the one error shape, with Retry-After, and closes it; those within it are served', async () => {
    app = await gatewayCappedAt(CAP);
    const [first] = [await hold(), await hold()];
    const refusedBefore = await refusedConnections();

    const refused = await healthOver(await openConnection(app));

    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toMatch(/\r\nretry-after: 1\r\n/);
    expect(bodyOf(refused)).toEqual({ statusCode: 429, error: 'Too Many Requests', message: REFUSAL_MESSAGE });
    expect(await refusedConnections()).toBe(refusedBefore + 1);
    const served = await healthOver(first);
    expect(served).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(bodyOf(served)).toEqual({ status: 'ok' });
  });

  it('admits the client again once one of its connections closes', async () => {
    app = await gatewayCappedAt(CAP);
    const [first] = [await hold(), await hold()];
    expect(await healthOver(await openConnection(app))).toMatch(/^HTTP\/1\.1 429 /);

    await healthOver(first);

    await expect(eventuallyServed(app)).resolves.toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('counts each client on its own', async () => {
    app = await gatewayCappedAt(CAP);
    await hold();
    await hold();

    expect(await healthOver(await openConnection(app, '127.0.0.2'))).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('does not cap a proxy the gateway trusts', async () => {
    app = await gatewayCappedAt(CAP, 'loopback');
    for (let n = 0; n < CAP + 3; n++) await hold();

    expect(await healthOver(await openConnection(app))).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('is read from CONNECTIONS_MAX_PER_CLIENT, at least 1, 100 by default', () => {
    expect(connectionLimitConfig.read()).toEqual({ maxPerClient: 100 });
    process.env['CONNECTIONS_MAX_PER_CLIENT'] = '0';
    try {
      expect(() => connectionLimitConfig.read()).toThrow(/CONNECTIONS_MAX_PER_CLIENT/);
    } finally {
      delete process.env['CONNECTIONS_MAX_PER_CLIENT'];
    }
  });
});

/** The gateway counts a connection closed when its close event runs, just after the client sees it close. */
async function eventuallyServed(app: NestFastifyApplication): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const answer = await healthOver(await openConnection(app));
    if (!answer.startsWith('HTTP/1.1 429 ') || attempt === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
