import { HttpException } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parseBodies } from './body-parsers';

const LIMIT_BYTES = 1024;

/** Sends the body in one go, as fetch does, and answers what came back, or the error that broke the call. */
function post(port: number, contentType: string, body: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { port, method: 'POST', path: '/', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const received: Buffer[] = [];
        response.on('data', (chunk: Buffer) => received.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode as number, body: JSON.parse(Buffer.concat(received).toString()) }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('parseBodies', () => {
  let server: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    server = Fastify({ bodyLimit: LIMIT_BYTES });
    parseBodies(server);
    server.setErrorHandler((error, _request, reply) => {
      const status = error instanceof HttpException ? error.getStatus() : 500;
      void reply.status(status).send({ status, message: (error as Error).message });
    });
    server.post('/', async (request) => ({ received: request.body ?? null }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(() => server.close());

  it('parses a JSON body and a form body within the limit, and takes an empty JSON body as none', async () => {
    expect(await post(port, 'application/json', '{"name":"Rex"}')).toEqual({ status: 200, body: { received: { name: 'Rex' } } });
    expect(await post(port, 'application/x-www-form-urlencoded', 'name=Rex&status=sold')).toEqual({
      status: 200,
      body: { received: { name: 'Rex', status: 'sold' } },
    });
    expect(await post(port, 'application/json', '')).toEqual({ status: 200, body: { received: null } });
  });

  it('answers 400 naming invalid JSON', async () => {
    expect(await post(port, 'application/json', '{"name": ')).toEqual({
      status: 400,
      body: { status: 400, message: 'request body is not valid JSON' },
    });
  });

  it('answers 400 naming a key that could reach the prototype, in valid JSON', async () => {
    const refused = {
      status: 400,
      body: { status: 400, message: 'request body has a "__proto__" key, or a "constructor" with a "prototype" key, which is refused' },
    };
    expect(await post(port, 'application/json', '{"name":"Rex","tags":[{"__proto__":{"admin":true}}]}')).toEqual(refused);
    expect(await post(port, 'application/json', '{"constructor":{"prototype":{"admin":true}}}')).toEqual(refused);
  });

  it('answers a body far over the limit with 413 that the client, still sending, reads', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(4 * 1024 * 1024) });
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await post(port, 'application/json', huge)).toEqual({
        status: 413,
        body: { status: 413, message: `request body is larger than the limit of ${LIMIT_BYTES} bytes` },
      });
    }
  });
});
