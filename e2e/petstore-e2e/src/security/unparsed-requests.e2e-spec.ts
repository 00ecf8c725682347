import { MAX_PATH_PARAMETER_LENGTH, MetricName, ServiceName } from '@petstore/platform';
import { maxHeaderSize } from 'node:http';
import { connect } from 'node:net';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { createPet } from '../store/store-fixtures';
import { api } from '../support/api';
import { stack } from '../support/stack';

/** Sends the bytes on a connection of its own and answers everything the app wrote until it closed it. */
function sendRaw(app: ServiceName, ...chunks: (string | Buffer)[]): Promise<string> {
  const { hostname, port } = new URL(stack.urlOf(app));
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => chunks.forEach((chunk) => socket.write(chunk)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
  });
}

function statusAndBody(answer: string): { status: number; body: unknown } {
  return { status: Number(answer.split(' ')[1]), body: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) };
}

async function unparsedCount(app: ServiceName, reason: string): Promise<number> {
  return valueOf(await scrape(app), MetricName.httpUnparsedRequests, { reason }) ?? 0;
}

/**
 * A request HTTP itself cannot read never reaches a route: Fastify used to answer it 400 "Client
 * Error", which named nothing. A client (or a proxy between) sending a broken request learns what
 * is wrong with it, in the API's error shape, and the operator sees it counted.
 */
describe('a request the gateway cannot read as HTTP', () => {
  it('is answered 400 naming what is wrong (a length given two ways, a method that is none), counted, and the gateway serves on', async () => {
    const before = await unparsedCount('api-gateway', 'not_http');
    const pet = await createPet('after-unparsed');

    const smuggling = await sendRaw(
      'api-gateway',
      `POST /api/v3/pet HTTP/1.1\r\nHost: gateway\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Buffer.alloc(1024 * 1024, 'x'),
    );
    expect(statusAndBody(smuggling)).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/^the request is not valid HTTP: (?=.*Content-Length)(?=.*Transfer-Encoding)/),
      },
    });
    expect(smuggling).toContain('\r\nx-content-type-options: nosniff\r\n');
    expect(statusAndBody(await sendRaw('api-gateway', 'FETCH-ME-A-PET /api/v3/pet/1 HTTP/1.1\r\nHost: gateway\r\n\r\n'))).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'the request is not valid HTTP: Invalid method encountered' },
    });

    expect(await unparsedCount('api-gateway', 'not_http')).toBe(before + 2);
    const read = await api<{ id: number }>('GET', `/api/v3/pet/${pet.id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(pet.id);
  });

  it('is answered 431 naming the limit when its headers are too large, by a service as by the gateway', async () => {
    const oversized = `GET /health HTTP/1.1\r\nHost: app\r\nX-Padding: ${'a'.repeat(maxHeaderSize)}\r\n\r\n`;
    for (const app of ['api-gateway', 'pet-service'] as const) {
      expect(statusAndBody(await sendRaw(app, oversized))).toEqual({
        status: 431,
        body: { statusCode: 431, error: 'Request Header Fields Too Large', message: `the request's headers exceed ${maxHeaderSize} bytes` },
      });
    }
  });
});

/** The router refuses these before any route sees them; Fastify answered in a shape of its own, echoing the whole path. */
describe('a path the gateway cannot route', () => {
  it('is answered 400 when it is not valid percent-encoding, and 414 when a segment is too long, in the one error shape', async () => {
    const malformed = await api('GET', '/api/v3/user/%E0%A4%A');
    expect({ status: malformed.status, body: malformed.body }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: "the request's path is not valid percent-encoding" },
    });

    const tooLong = await api('GET', `/api/v3/user/${'a'.repeat(MAX_PATH_PARAMETER_LENGTH + 1)}`);
    expect({ status: tooLong.status, body: tooLong.body }).toEqual({
      status: 414,
      body: {
        statusCode: 414,
        error: 'Uri Too Long',
        message: `a segment of the request's path is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
      },
    });
  });
});
