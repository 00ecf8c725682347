import Fastify from 'fastify';
import { trustProxySetting, trustsProxyAt } from './trust-proxy';

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

describe('whether a connection comes from a trusted proxy', () => {
  const trusts = (setting: string, address: string) => trustsProxyAt(trustProxySetting(setting))(address);

  it('trusts none by default, any when told true or a hop count', () => {
    expect(trusts('false', '127.0.0.1')).toBe(false);
    expect(trusts('true', '203.0.113.9')).toBe(true);
    expect(trusts('1', '203.0.113.9')).toBe(true);
    expect(trusts('0', '127.0.0.1')).toBe(false);
  });

  it('trusts the addresses and subnets named, and no other', () => {
    expect(trusts('loopback', '127.0.0.1')).toBe(true);
    expect(trusts('loopback', '::ffff:127.0.0.1')).toBe(true);
    expect(trusts('10.0.0.0/8, 192.0.2.7', '10.1.2.3')).toBe(true);
    expect(trusts('10.0.0.0/8, 192.0.2.7', '192.0.2.7')).toBe(true);
    expect(trusts('10.0.0.0/8, 192.0.2.7', '203.0.113.9')).toBe(false);
  });
});
