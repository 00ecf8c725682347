import { Injectable } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { HealthController, healthCacheConfig, HealthModule, HealthProbe } from './health';

/** A dependency whose every check is counted and takes a moment, as a call to another service does. */
@Injectable()
class CountedProbe implements HealthProbe {
  static checks = 0;
  static up = true;

  async check(): Promise<HealthIndicatorResult> {
    CountedProbe.checks += 1;
    await sleep(20);
    return { dependency: { status: CountedProbe.up ? 'up' : 'down' } };
  }
}

async function healthController(options: { reuseVerdicts: boolean; cacheMs?: number }): Promise<HealthController> {
  if (options.cacheMs === undefined) delete process.env['HEALTH_CACHE_MS'];
  else process.env['HEALTH_CACHE_MS'] = String(options.cacheMs);
  const module = await Test.createTestingModule({
    imports: [ConfigModule.forRoot({ ignoreEnvFile: true }), HealthModule.register({ probes: [CountedProbe], reuseVerdicts: options.reuseVerdicts })],
  }).compile();
  return module.get(HealthController);
}

/** Asks /health and answers its status and body, as the client sees them. */
async function ask(controller: HealthController): Promise<{ status: number; body: unknown }> {
  let status = 200;
  const reply = { status: (code: number) => (status = code) } as unknown as FastifyReply;
  const body = await controller.check(reply);
  return { status, body };
}

describe('GET /health', () => {
  beforeEach(() => {
    CountedProbe.checks = 0;
    CountedProbe.up = true;
  });
  afterAll(() => delete process.env['HEALTH_CACHE_MS']);

  it('checks on every ask when the app does not reuse verdicts', async () => {
    const controller = await healthController({ reuseVerdicts: false, cacheMs: 60_000 });
    await Promise.all(Array.from({ length: 5 }, () => ask(controller)));
    await ask(controller);
    expect(CountedProbe.checks).toBe(6);
  });

  it('reusing verdicts, shares one check among the asks that arrive while it runs and answers the next asks with its verdict', async () => {
    const controller = await healthController({ reuseVerdicts: true, cacheMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask(controller)));
    expect(CountedProbe.checks).toBe(1);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));

    CountedProbe.up = false;
    expect((await ask(controller)).status).toBe(200);
    expect(CountedProbe.checks).toBe(1);
  });

  it('checks again once the verdict is older than HEALTH_CACHE_MS, and answers an unhealthy verdict 503 naming the probe', async () => {
    const controller = await healthController({ reuseVerdicts: true, cacheMs: 50 });
    expect((await ask(controller)).status).toBe(200);
    CountedProbe.up = false;
    await sleep(100);
    expect(await ask(controller)).toMatchObject({ status: 503, body: { status: 'error', error: { dependency: { status: 'down' } } } });
    expect(CountedProbe.checks).toBe(2);
  });

  it('reuses a verdict for 500 ms by default', () => {
    delete process.env['HEALTH_CACHE_MS'];
    expect(healthCacheConfig.read().verdictReuseMs).toBe(500);
  });
});
