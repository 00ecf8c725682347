import { Controller, DynamicModule, Get, Inject, Logger, Module, Res, ServiceUnavailableException, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';
import { Public } from './public.decorator';
import { reusedFor } from './reused-answer';

/** One dependency that /health reports on. */
export interface HealthProbe {
  check(): Promise<HealthIndicatorResult>;
}

export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

/**
 * The states in which a probe reports its dependency up though the service serves less than it
 * should (changes refused, events waiting): the service stays healthy, since it still serves and
 * the state ends by itself, and the gateway's /health names them.
 */
export const ImpairedState = { ReadOnly: 'read-only', Degraded: 'degraded' } as const;
export type ImpairedState = (typeof ImpairedState)[keyof typeof ImpairedState];

export function isImpairedState(state: unknown): state is ImpairedState {
  return (Object.values(ImpairedState) as unknown[]).includes(state);
}

/** How long a probe waits for its dependency before reporting it down. */
export const PROBE_TIMEOUT_MS = 2000;

/**
 * How long /health, in an app that reuses its verdicts (`HealthOptions.reuseVerdicts`), answers
 * the verdict of its last check instead of checking again; a check that is running is shared
 * with every ask that arrives meanwhile. 0: every ask checks.
 */
export const healthCacheConfig = configNamespace('healthCache', {
  verdictReuseMs: variable('HEALTH_CACHE_MS', Joi.number().integer().min(0).default(500)),
});

export type HealthCacheConfig = ReturnType<typeof healthCacheConfig.read>;

const HEALTH_VERDICT_REUSE_MS = Symbol('HEALTH_VERDICT_REUSE_MS');

interface HealthVerdict {
  status: number;
  body: HealthCheckResult;
}

@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** Undefined while healthy. */
  private lastDownProbes?: string;
  private everHealthy = false;
  private readonly verdict: () => Promise<HealthVerdict>;

  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
    @Inject(HEALTH_VERDICT_REUSE_MS) verdictReuseMs: number,
  ) {
    this.verdict = reusedFor(verdictReuseMs, () => this.decide());
  }

  /**
   * Unhealthy is answered 503 with terminus' own body, which names each probe that is down. The
   * log says so too, once per change of verdict rather than once per poll, so whoever reads the
   * logs after a 503 learns which dependency was away without flooding them while it stays away.
   * Not yet healthy while starting is expected, and logged as information rather than a warning.
   */
  @Public()
  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    const { status, body } = await this.verdict();
    response.status(status);
    return body;
  }

  private async decide(): Promise<HealthVerdict> {
    try {
      const healthy = await this.health.check(this.probes.map((probe) => () => probe.check()));
      this.noteHealthy();
      return { status: 200, body: healthy };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const unhealthy = error.getResponse() as HealthCheckResult;
      this.noteUnhealthy(unhealthy);
      return { status: error.getStatus(), body: unhealthy };
    }
  }

  private noteHealthy(): void {
    const recovered = this.lastDownProbes !== undefined;
    this.lastDownProbes = undefined;
    if (recovered) this.logger.log(this.everHealthy ? 'healthy again' : 'healthy');
    this.everHealthy = true;
  }

  /** A new line when another set of probes is down, not when a probe's reason changes (a refusal, then a timeout). */
  private noteUnhealthy(result: HealthCheckResult): void {
    const down = Object.entries(result.error ?? {});
    const downProbes = down.map(([probe]) => probe).join(', ');
    if (downProbes === this.lastDownProbes) return;
    this.lastDownProbes = downProbes;
    const failure = down.map(([probe, details]) => `${probe} ${JSON.stringify(details)}`).join('; ');
    if (this.everHealthy) this.logger.warn(`unhealthy: ${failure}`);
    else this.logger.log(`not healthy yet: ${failure}`);
  }
}

export interface HealthOptions {
  probes: Type<HealthProbe>[];
  imports?: DynamicModule['imports'];
  /**
   * Answer a verdict reached within HEALTH_CACHE_MS rather than check again (the app validates
   * `healthCacheConfig.environment`): for an app whose /health is public and costs its
   * dependencies (the gateway's asks every service), so a flood of asks costs them one check per
   * period. Without it, every ask checks.
   */
  reuseVerdicts?: boolean;
}

/** `GET /health`: 200 when every probe is up, 503 naming the ones that are not. */
@Module({})
export class HealthModule {
  static register(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        ...(options.reuseVerdicts ? [ConfigModule.forFeature(healthCacheConfig)] : []),
        ...(options.imports ?? []),
      ],
      controllers: [HealthController],
      providers: [
        ...options.probes,
        {
          provide: HEALTH_PROBES,
          inject: options.probes,
          useFactory: (...probes: HealthProbe[]) => probes,
        },
        options.reuseVerdicts
          ? { provide: HEALTH_VERDICT_REUSE_MS, inject: [healthCacheConfig.KEY], useFactory: (cache: HealthCacheConfig) => cache.verdictReuseMs }
          : { provide: HEALTH_VERDICT_REUSE_MS, useValue: 0 },
      ],
    };
  }
}
