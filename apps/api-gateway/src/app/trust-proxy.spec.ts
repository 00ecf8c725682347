import Fastify from 'fastify';
import { trustProxySetting } from './trust-proxy';

async function addressSeen(setting: string, forwardedFor: string): Promise<string> {
  const app = Fastify({ trustProxy: trustProxySetting(setting) });
  app.get('/', async (request) => request.ip);
  try {
    return (await app.inject({ url: '/', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': forwardedFor } })).body;
  } finally {
    await app.close();
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
