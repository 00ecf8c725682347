import { createServer, maxHeaderSize, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { metricsRegistry } from './metrics/metrics-registry';
import { MetricName } from './metrics/metric-names';
import { answerUnparsedRequests } from './unparsed-requests';

const TIMEOUTS = { headersMs: 200, wholeRequestMs: 400 };

/** A server with the handler, served nothing but 200s; timeouts short enough to be waited out here. */
async function serverAnsweringUnparsed(): Promise<Server> {
  const server = createServer(
    { headersTimeout: TIMEOUTS.headersMs, requestTimeout: TIMEOUTS.wholeRequestMs, connectionsCheckingInterval: 50 },
    (request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    },
  );
  server.on('clientError', answerUnparsedRequests(TIMEOUTS));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Sends the bytes (then, optionally, more of them) and answers everything the server wrote until it closed, or the error that ended the connection. */
function exchange(server: Server, bytes: string, then?: Buffer): Promise<{ answer: string; error?: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.write(bytes);
      if (then) socket.write(then);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ answer, error: error.code }));
    socket.once('close', () => resolve({ answer }));
  });
}

function statusAndBody(answer: string): { status: number; body: unknown } {
  return { status: Number(answer.split(' ')[1]), body: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) };
}

async function unparsedCount(reason: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(MetricName.httpUnparsedRequests)?.get();
  return metric?.values.find((value) => value.labels['reason'] === reason)?.value ?? 0;
}

describe('answerUnparsedRequests', () => {
  let server: Server;
  beforeEach(async () => (server = await serverAnsweringUnparsed()));
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers a request that is not HTTP 400, naming what the parser found, in the one error shape', async () => {
    const before = await unparsedCount('not_http');
    const { answer } = await exchange(server, 'HELLO THERE\r\n\r\n');
    expect(statusAndBody(answer)).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'the request is not valid HTTP: Invalid method encountered' },
    });
    expect(answer).toContain('connection: close');
    expect(await unparsedCount('not_http')).toBe(before + 1);
  });

  it('names a request smuggling its length two ways', async () => {
    const { answer } = await exchange(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n');
    expect(statusAndBody(answer).body).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/^the request is not valid HTTP: .*Content-Length/),
    });
  });

  it('answers headers over the size limit 431, naming it', async () => {
    const { answer } = await exchange(server, `GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(maxHeaderSize)}\r\n\r\n`);
    expect(statusAndBody(answer)).toEqual({
      status: 431,
      body: { statusCode: 431, error: 'Request Header Fields Too Large', message: `the request's headers exceed ${maxHeaderSize} bytes` },
    });
  });

  it('answers a request too slow to arrive 408, naming both limits', async () => {
    const before = await unparsedCount('too_slow');
    const { answer } = await exchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n');
    expect(statusAndBody(answer)).toEqual({
      status: 408,
      body: {
        statusCode: 408,
        error: 'Request Timeout',
        message: 'the request did not arrive in time: its headers may take 0.2 s, the whole request 0.4 s',
      },
    });
    expect(await unparsedCount('too_slow')).toBe(before + 1);
  });

  it('answers a body too slow to arrive 408 and closes the connection, though its headers reached the app', async () => {
    const { answer } = await exchange(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab');
    expect(statusAndBody(answer)).toMatchObject({ status: 408, body: { statusCode: 408 } });
  });

  it('delivers the answer whole, and counts it once, however much the client sends after the bad request', async () => {
    const before = await unparsedCount('not_http');
    const { answer, error } = await exchange(server, 'HELLO THERE\r\n\r\n', Buffer.alloc(4 * 1024 * 1024, 'x'));
    expect(error).toBeUndefined();
    expect(statusAndBody(answer).status).toBe(400);
    expect(await unparsedCount('not_http')).toBe(before + 1);
  });

  it('serves the requests before a bad one on the same connection', async () => {
    const { answer } = await exchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nHELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nokHTTP\/1\.1 400 Bad Request/);
  });
});
