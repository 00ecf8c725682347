import express from 'express';
import type { AddressInfo } from 'node:net';
import { trustProxySetting } from './trust-proxy';

async function addressSeen(setting: string, forwardedFor: string): Promise<string> {
  const app = express();
  app.set('trust proxy', trustProxySetting(setting));
  app.get('/', (request, response) => response.send(request.ip));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': forwardedFor } })).text();
  } finally {
    server.close();
  }
}

describe('the client address behind a proxy', () => {
  it('ignores X-Forwarded-For unless a proxy is trusted', async () => {
    expect(await addressSeen('false', '203.0.113.9')).toBe('127.0.0.1');
  });

  it('takes the address a trusted proxy forwards', async () => {
    expect(await addressSeen('loopback', '203.0.113.9')).toBe('203.0.113.9');
    expect(await addressSeen('1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
  });
});
