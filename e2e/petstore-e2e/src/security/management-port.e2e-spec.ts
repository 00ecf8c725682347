import { MetricName } from '@petstore/platform';
import { createServer } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { api } from '../support/api';
import { GATEWAY_URL, SUITE_ENVIRONMENT, withTheDefaultOf } from '../support/environment';
import { stack } from '../support/stack';

const CONNECTION_CAP = 3;

/** The holder's own address (Linux answers every 127/8 address on loopback): the suite's other requests come from 127.0.0.1. */
const HOLDER = '127.0.0.3';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A connection of the holder's to `url`'s port, kept open with a request's first line sent and no more. */
function holdConnection(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress: HOLDER }, () => {
      socket.write('GET /api/v3/store/inventory HTTP/1.1\r\n');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** A GET on a new connection of the holder's: the status line and the body. */
function getAsHolder(url: string): Promise<{ statusLine: string; body: string }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect({ host: hostname, port: Number(port), localAddress: HOLDER }, () =>
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n`),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve({ statusLine: answer.split('\r\n')[0], body: answer.slice(answer.indexOf('\r\n\r\n') + 4) }));
  });
}

/**
 * With MANAGEMENT_PORT set, the gateway's port faces clients with the API and its documents only,
 * and probes and Prometheus reach /health and /metrics on the management port, which no
 * per-client limit counts. The gateway runs here with a management port, its default TRUST_PROXY
 * (none, so the suite's loopback addresses are clients) and a connection cap of 3, restarted
 * before and after.
 */
describe("the gateway's management port", () => {
  let management: string;
  const held: Socket[] = [];

  beforeAll(async () => {
    await stack.stopApp('api-gateway');
    await stack.restartApp('api-gateway', {
      ...withTheDefaultOf('TRUST_PROXY'),
      CONNECTIONS_MAX_PER_CLIENT: String(CONNECTION_CAP),
      MANAGEMENT_PORT: String(await freePort()),
    });
    management = stack.managementUrlOf('api-gateway');
  });

  afterAll(async () => {
    held.forEach((socket) => socket.destroy());
    await stack.stopApp('api-gateway');
    await stack.restartApp('api-gateway', SUITE_ENVIRONMENT);
  });

  it('serves /health and /metrics there and only there; the API and its documents only on the public port', async () => {
    expect(management).not.toBe(GATEWAY_URL);

    const health = await fetch(`${management}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', details: { services: expect.objectContaining({ 'pet-service': 'up' }) } });
    expect(
      valueOf(await scrape('api-gateway'), `${MetricName.httpRequestDuration}_count`, { method: 'GET', route: '/health', status_code: '200' }),
    ).toBeGreaterThanOrEqual(1);

    for (const path of ['/health', '/metrics']) {
      const refused = await api('GET', path);
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `GET ${path} is not served on this port: /health and /metrics are on the management port`,
      });
    }
    expect((await api('GET', '/api/v3/pet/findByStatus?status=available')).status).toBe(200);
    expect((await fetch(`${GATEWAY_URL}/docs-json`)).status).toBe(200);

    const api404 = await fetch(`${management}/api/v3/pet/findByStatus?status=available`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ message: 'the management port serves only /health and /metrics, not GET /api/v3/pet/findByStatus' });
    expect((await fetch(`${management}/docs-json`)).status).toBe(404);
  });

  it('answers probes from a client that holds every connection the public port allows it', async () => {
    for (let n = 0; n < CONNECTION_CAP; n++) held.push(await holdConnection(GATEWAY_URL));

    const refused = await getAsHolder(`${GATEWAY_URL}/api/v3/pet/findByStatus?status=available`);
    expect(refused.statusLine).toBe('HTTP/1.1 429 Too Many Requests');

    const probe = await getAsHolder(`${management}/health`);
    expect(probe.statusLine).toBe('HTTP/1.1 200 OK');
    expect(JSON.parse(probe.body)).toMatchObject({ status: 'ok' });
    expect((await getAsHolder(`${management}/metrics`)).statusLine).toBe('HTTP/1.1 200 OK');
  });
});
