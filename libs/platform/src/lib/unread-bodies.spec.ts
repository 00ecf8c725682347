import { HttpException } from '@nestjs/common';
import Fastify, { FastifyInstance } from 'fastify';
import { AddressInfo, connect, Socket } from 'node:net';
import { parseBodies } from './body-parsers';
import { boundUnreadBodies } from './unread-bodies';

const ALLOWANCE = { bytes: 64 * 1024, milliseconds: 300 };
const CHUNK = Buffer.alloc(64 * 1024, 'x');
const GIBIBYTE = 1024 ** 3;
const BODY_LIMIT = 1024;

/** A client on one raw connection: what it sends is up to the test, what comes back is kept as text. */
class RawClient {
  readonly socket: Socket;
  /** Settles when the connection is closed, by either side; a reset is a close like any other here. */
  readonly closing: Promise<void>;
  received = '';
  closed = false;
  /** Whether the server said it would send nothing more (a FIN) before the connection closed. */
  endedByServer = false;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => (this.received += chunk.toString('latin1')));
    this.socket.on('error', () => undefined);
    this.socket.on('end', () => (this.endedByServer = true));
    this.closing = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  sendHeaders(method: string, path: string, contentLength: number, contentType = 'application/octet-stream', connection = 'keep-alive'): void {
    this.socket.write(
      `${method} ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: ${connection}\r\ncontent-type: ${contentType}\r\ncontent-length: ${contentLength}\r\n\r\n`,
    );
  }

  async answers(count: number): Promise<string[]> {
    while (this.statusLines().length < count && !this.closed) await Promise.race([this.next('data'), this.closing]);
    return this.statusLines();
  }

  /** Sends body chunks until the server closes the connection or `maxBytes` have gone; answers how much went. */
  async sendUntilClosed(maxBytes: number): Promise<number> {
    let sent = 0;
    while (!this.closed && sent < maxBytes) {
      sent += CHUNK.length;
      if (!this.socket.write(CHUNK)) await Promise.race([this.next('drain'), this.closing]);
    }
    return sent;
  }

  private next(event: 'data' | 'drain'): Promise<void> {
    return new Promise((resolve) => this.socket.once(event, () => resolve()));
  }

  private statusLines(): string[] {
    return this.received.match(/HTTP\/1\.1 \d{3}/g) ?? [];
  }
}

describe('boundUnreadBodies', () => {
  let server: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    server = Fastify({ bodyLimit: BODY_LIMIT });
    parseBodies(server);
    boundUnreadBodies(server, ALLOWANCE);
    server.setErrorHandler((error, _request, reply) => {
      void reply.status(error instanceof HttpException ? error.getStatus() : 500).send({ message: (error as Error).message });
    });
    server.post('/refuse', async (_request, reply) => reply.status(401).send({ message: 'sign in first' }));
    server.post('/pets', async (request) => request.body);
    server.get('/ok', async () => ({ ok: true }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(() => server.close());

  it('answers before the body is read, and keeps the connection of a client that then sends the rest within the allowance', async () => {
    const client = new RawClient(port);
    client.sendHeaders('POST', '/refuse', ALLOWANCE.bytes / 2);
    expect(await client.answers(1)).toEqual(['HTTP/1.1 401']);

    client.socket.write(Buffer.alloc(ALLOWANCE.bytes / 2));
    client.socket.write('GET /ok HTTP/1.1\r\nhost: localhost\r\n\r\n');

    expect(await client.answers(2)).toEqual(['HTTP/1.1 401', 'HTTP/1.1 200']);
    expect(client.closed).toBe(false);
    client.socket.destroy();
  });

  it('closes the connection of a client that goes on sending past the allowance', async () => {
    const client = new RawClient(port);
    client.sendHeaders('POST', '/refuse', GIBIBYTE);
    expect(await client.answers(1)).toEqual(['HTTP/1.1 401']);

    const sent = await client.sendUntilClosed(256 * 1024 * 1024);

    expect(client.closed).toBe(true);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('answers a JSON body declared over the limit 413 at once, and keeps the connection of a client that then sends it within the allowance', async () => {
    const client = new RawClient(port);
    client.sendHeaders('POST', '/pets', 4 * BODY_LIMIT, 'application/json');
    expect(await client.answers(1)).toEqual(['HTTP/1.1 413']);

    client.socket.write(Buffer.alloc(4 * BODY_LIMIT, ' '));
    client.socket.write('GET /ok HTTP/1.1\r\nhost: localhost\r\n\r\n');

    expect(await client.answers(2)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
    client.socket.destroy();
  });

  it('closes the connection of a client that asked for it once the rest of its body has been read', async () => {
    const client = new RawClient(port);
    client.sendHeaders('POST', '/refuse', ALLOWANCE.bytes / 2, 'application/octet-stream', 'close');
    expect(await client.answers(1)).toEqual(['HTTP/1.1 401']);

    client.socket.write(Buffer.alloc(ALLOWANCE.bytes / 2));
    await client.closing;

    expect(client.endedByServer).toBe(true);
  });

  it('closes the connection of a client that stops sending before the end of its body', async () => {
    const client = new RawClient(port);
    client.sendHeaders('POST', '/refuse', ALLOWANCE.bytes);
    client.socket.write(Buffer.alloc(1024));
    expect(await client.answers(1)).toEqual(['HTTP/1.1 401']);

    await client.closing;
  });

  it('leaves a request without a body alone', async () => {
    const client = new RawClient(port);
    client.socket.write('GET /ok HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(await client.answers(1)).toEqual(['HTTP/1.1 200']);
    await new Promise((resolve) => setTimeout(resolve, 2 * ALLOWANCE.milliseconds));

    client.socket.write('GET /ok HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(await client.answers(2)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    client.socket.destroy();
  });
});
