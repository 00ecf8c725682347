import { HttpException } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ServiceErrorException } from './errors';
import { ServiceClient } from './service-client';

describe('ServiceClient', () => {
  let server: Server;
  let baseUrl: string;
  let connections = 0;
  const clients: ServiceClient[] = [];

  function clientOf(...args: ConstructorParameters<typeof ServiceClient>): ServiceClient {
    const client = new ServiceClient(...args);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      // Never answered: undici checks its headers timeout only every half second or so, so any answer could still beat it.
      if (request.url?.startsWith('/silent')) return;
      if (request.url?.startsWith('/limited')) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' });
        return void response.end(JSON.stringify({ statusCode: 429, message: 'too many login attempts' }));
      }
      if (request.url?.startsWith('/accepted')) {
        response.writeHead(202, { 'content-type': 'application/json', location: '/orders/10' });
        return void response.end(JSON.stringify({ id: 10 }));
      }
      if (request.url?.startsWith('/photo')) {
        response.writeHead(200, { 'content-type': 'image/png' });
        return void response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      }
      if (request.url?.startsWith('/in-parts')) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.write(Buffer.alloc(64 * 1024, 1));
        return void setTimeout(() => response.end(Buffer.alloc(64 * 1024, 2)), 50);
      }
      if (request.url?.startsWith('/stalls')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.write('{"never":');
      }
      if (request.url?.startsWith('/missing')) {
        response.writeHead(404, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ statusCode: 404, message: 'pet 9 not found' }));
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ url: request.url, correlationId: request.headers['x-correlation-id'] }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.onApplicationShutdown()));
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps its connections open for the next calls', async () => {
    const client = clientOf('pet-service', baseUrl);
    const before = connections;
    for (let call = 0; call < 20; call++) await client.json({ path: '/pets' });
    expect(connections - before).toBeLessThanOrEqual(2);
  });

  it('sends query values, repeated ones included, and a correlation id', async () => {
    const client = clientOf('pet-service', baseUrl);
    const body = await client.json<{ url: string; correlationId: string }>({
      path: '/pets',
      query: { status: ['available', 'sold'], tags: undefined },
    });
    expect(body.url).toBe('/pets?status=available&status=sold');
    expect(body.correlationId).toBeTruthy();
  });

  it("passes the callee's error status and message through", async () => {
    const client = clientOf('pet-service', baseUrl);
    const failure = await client.json({ path: '/missing' }).catch((error: HttpException) => error);
    expect(failure).toBeInstanceOf(HttpException);
    expect((failure as HttpException).getStatus()).toBe(404);
    expect((failure as HttpException).getResponse()).toMatchObject({ message: 'pet 9 not found' });
  });

  it("answers with the callee's status, headers and body", async () => {
    const client = clientOf('order-service', baseUrl);
    const answer = await client.call<{ id: number }>({ method: 'POST', path: '/accepted' });
    expect(answer.status).toBe(202);
    expect(answer.headers['location']).toBe('/orders/10');
    expect(answer.body).toEqual({ id: 10 });
  });

  it('answers bytes as they came', async () => {
    const client = clientOf('photo-service', baseUrl);
    const answer = await client.bytes({ path: '/photo' });
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.body).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('answers a body that arrived in parts whole, in order', async () => {
    const client = clientOf('photo-service', baseUrl);
    const answer = await client.bytes({ path: '/in-parts' });
    expect(answer.body).toEqual(Buffer.concat([Buffer.alloc(64 * 1024, 1), Buffer.alloc(64 * 1024, 2)]));
  });

  it('answers 503 naming the service when its answer stops halfway', async () => {
    const client = clientOf('pet-service', baseUrl, 100);
    const failure = (await client.json({ path: '/stalls' }).catch((error) => error)) as HttpException;
    expect(failure.getStatus()).toBe(503);
    expect(failure.getResponse()).toMatchObject({ message: 'pet-service did not answer within 100 ms; try again later' });
  });

  it("keeps the callee's Retry-After with its error", async () => {
    const client = clientOf('user-service', baseUrl);
    const failure = (await client.json({ path: '/limited' }).catch((error) => error)) as ServiceErrorException;
    expect(failure).toBeInstanceOf(ServiceErrorException);
    expect(failure.getStatus()).toBe(429);
    expect(failure.retryAfter).toBe('60');
  });

  it('answers 503 naming the service when it does not answer in time', async () => {
    const client = clientOf('photo-service', baseUrl, 100);
    const failure = (await client.json({ path: '/silent' }).catch((error) => error)) as HttpException;
    expect(failure.getStatus()).toBe(503);
    expect(failure.getResponse()).toMatchObject({ message: 'photo-service did not answer within 100 ms; try again later' });
  });

  it('answers 503 naming the service when nothing listens', async () => {
    const client = clientOf('photo-service', 'http://127.0.0.1:9');
    const failure = (await client.json({ path: '/' }).catch((error) => error)) as HttpException;
    expect(failure.getStatus()).toBe(503);
    expect(failure.getResponse()).toMatchObject({ message: 'photo-service is unreachable; try again later' });
  });

  it('says what did not happen when the callee cannot answer', async () => {
    const client = clientOf('photo-service', 'http://127.0.0.1:9');
    const failure = (await client.json({ path: '/', whenUnavailable: 'the photo was not stored' }).catch((error) => error)) as HttpException;
    expect(failure.getResponse()).toMatchObject({
      message: 'photo-service is unreachable; try again later (the photo was not stored)',
    });
  });
});
