import { Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpErrorFilter } from '@petstore/platform';
import { clientOf, limitRequestsPerClient, requestLimitConfig } from './request-limit';
import { API_PREFIX } from './service';

@Controller()
class ProbeController {
  calls = 0;

  @Post(`${API_PREFIX}/thing`)
  thing() {
    return { calls: ++this.calls };
  }

  @Get('health')
  health() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

async function gatewayLimitedTo(maxPerClient: number, windowSeconds: number): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ProbeModule, new FastifyAdapter({ trustProxy: true }), { logger: false });
  app.useGlobalFilters(new HttpErrorFilter('api-gateway'));
  limitRequestsPerClient(app, { maxPerClient, windowSeconds });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the per-client request limit', () => {
  let app: NestFastifyApplication;
  const from = (address: string, url = `/${API_PREFIX}/thing`, method: 'GET' | 'POST' = 'POST') =>
    app.inject({ method, url, headers: { 'x-forwarded-for': address } });

  beforeEach(async () => {
    app = await gatewayLimitedTo(3, 60);
  });
  afterEach(() => app.close());

  it('answers 429 past the limit, in the one error shape with Retry-After, without reaching the handler', async () => {
    for (let n = 1; n <= 3; n++) expect((await from('198.51.100.1')).json()).toEqual({ calls: n });

    const refused = await from('198.51.100.1');

    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^too many requests from this client: at most 3 in 60 seconds; retry after (60|59) seconds$/),
    });
    expect(['59', '60']).toContain(refused.headers['retry-after']);
    expect(app.get(ProbeController).calls).toBe(3);
  });

  it('counts each client on its own, an IPv6 client by its /64', async () => {
    for (let n = 0; n < 3; n++) await from(`2001:db8:1:1::${n + 1}`);

    expect((await from('2001:db8:1:1:ffff::9')).statusCode).toBe(429);
    expect((await from('2001:db8:1:2::1')).statusCode).toBe(201);
    expect((await from('198.51.100.2')).statusCode).toBe(201);
  });

  it('serves the client again once its window has passed', async () => {
    for (let n = 0; n < 4; n++) await from('198.51.100.5');
    const windowEnd = Date.now() + 60_000;
    jest.spyOn(Date, 'now').mockReturnValue(windowEnd);
    try {
      expect((await from('198.51.100.5')).statusCode).toBe(201);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('never limits what is not the API (health checks)', async () => {
    for (let n = 0; n < 3; n++) await from('198.51.100.3');

    expect((await from('198.51.100.3', '/health', 'GET')).statusCode).toBe(200);
  });

  it('adds no header to the answers within the limit', async () => {
    const answer = await from('198.51.100.4');

    expect(Object.keys(answer.headers).filter((name) => /rate|retry/i.test(name))).toEqual([]);
  });
});

describe('clientOf', () => {
  it('is an IPv4 address as it is, an IPv4-mapped one as IPv4, an IPv6 one as its /64', () => {
    const of = (ip: string) => clientOf({ ip } as Parameters<typeof clientOf>[0]);

    expect(of('198.51.100.7')).toBe('198.51.100.7');
    expect(of('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(of('2001:db8:1:2:3:4:5:6')).toBe(of('2001:db8:1:2::'));
    expect(of('2001:db8:1:2:3:4:5:6')).not.toBe(of('2001:db8:1:3::'));
  });
});

describe('requestLimitConfig', () => {
  it('allows 1200 requests a minute by default, and refuses a limit below one at start, naming the variable', () => {
    expect(requestLimitConfig.read()).toEqual({ maxPerClient: 1200, windowSeconds: 60 });
    process.env['REQUESTS_MAX_PER_CLIENT'] = '0';
    try {
      expect(() => requestLimitConfig.read()).toThrow(/REQUESTS_MAX_PER_CLIENT/);
    } finally {
      delete process.env['REQUESTS_MAX_PER_CLIENT'];
    }
  });
});
