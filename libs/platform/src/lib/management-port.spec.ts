import { Controller, Get, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { stopInOrder } from './bootstrap';
import { HttpErrorFilter } from './errors';
import { serveManagementPathsApart } from './management-port';

@Controller()
class PathsController {
  apiCalls = 0;

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('metrics')
  metrics() {
    return 'petstore_up 1\n';
  }

  @Get('api/v3/pet/1')
  pet() {
    this.apiCalls += 1;
    return { id: 1 };
  }

  release?: () => void;

  @Get('api/v3/slow')
  async slow() {
    await new Promise<void>((resolve) => (this.release = resolve));
    return { done: true };
  }
}

@Module({ controllers: [PathsController] })
class PathsModule {}

const HOST = '127.0.0.1';

interface Ports {
  app: NestFastifyApplication;
  api: string;
  management?: string;
}

async function appWithManagementPort(port: number | undefined): Promise<Ports> {
  const app = await NestFactory.create<NestFastifyApplication>(PathsModule, new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new HttpErrorFilter('api-gateway'));
  const management = serveManagementPathsApart(app, { port }, HOST);
  await app.listen(0, HOST);
  const managementServer = await management?.listen();
  const urlOf = (server: Server) => `http://${HOST}:${(server.address() as AddressInfo).port}`;
  return { app, api: urlOf(app.getHttpServer()), management: managementServer && urlOf(managementServer) };
}

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

/** What raw bytes sent to `url` are answered, whole. */
function rawAnswerOf(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the management paths on a port of their own (MANAGEMENT_PORT)', () => {
  let ports: Ports;

  afterEach(async () => {
    await ports.app.close();
  });

  it('serves /health and /metrics only on the management port, and the API only on its own', async () => {
    ports = await appWithManagementPort(0);
    const management = ports.management as string;

    expect(await get(`${management}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${management}/metrics?name=petstore_up`)).toEqual({ status: 200, body: 'petstore_up 1\n' });
    expect(await get(`${ports.api}/api/v3/pet/1`)).toEqual({ status: 200, body: { id: 1 } });

    expect(await get(`${ports.api}/health`)).toEqual({
      status: 404,
      body: {
        statusCode: 404,
        error: 'Not Found',
        message: 'GET /health is not served on this port: /health and /metrics are on the management port',
      },
    });
    expect((await get(`${ports.api}/metrics`)).status).toBe(404);
    expect((await fetch(`${ports.api}/health`, { method: 'HEAD' })).status).toBe(404);
    expect(await get(`${management}/api/v3/pet/1`)).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'the management port serves only /health and /metrics, not GET /api/v3/pet/1' },
    });
    expect((await get(`${management}/docs`)).status).toBe(404);
    expect(ports.app.get(PathsController).apiCalls).toBe(1);
  });

  it('answers a request HTTP cannot read on the management port as the app does, naming why', async () => {
    ports = await appWithManagementPort(0);

    const answer = await rawAnswerOf(ports.management as string, 'BREW /health HTTP/1.1\r\nHost: x\r\n\r\n');

    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('"message":"the request is not valid HTTP: Invalid method encountered"');
  });

  it('stops accepting on the management port as soon as a stop begins, while the API drains what it accepted', async () => {
    jest.spyOn(Logger, 'error').mockImplementation(() => undefined);
    ports = await appWithManagementPort(0);
    const management = ports.management as string;
    const controller = ports.app.get(PathsController);
    const inFlight = get(`${ports.api}/api/v3/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const stopped = stopInOrder(ports.app);

    await expect(fetch(`${management}/health`)).rejects.toThrow('fetch failed');
    controller.release?.();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await expect(stopped).resolves.toBe(0);
    jest.restoreAllMocks();
  });

  it('serves everything on the app port when no management port is set', async () => {
    ports = await appWithManagementPort(undefined);

    expect(ports.management).toBeUndefined();
    expect((await get(`${ports.api}/health`)).status).toBe(200);
    expect((await get(`${ports.api}/metrics`)).status).toBe(200);
    expect((await get(`${ports.api}/api/v3/pet/1`)).status).toBe(200);
  });
});
