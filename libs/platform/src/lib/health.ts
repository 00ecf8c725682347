import { Controller, DynamicModule, Get, Inject, Module, Res, ServiceUnavailableException, Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from './public.decorator';

/** One dependency that /health reports on. */
export interface HealthProbe {
  check(): Promise<HealthIndicatorResult>;
}

export const HEALTH_PROBES = Symbol('HEALTH_PROBES');

/** How long a probe waits for its dependency before reporting it down. */
export const PROBE_TIMEOUT_MS = 2000;

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
  ) {}

  /** Unhealthy is answered 503 with terminus' own body, which names each probe that is down. */
  @Public()
  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) response: FastifyReply) {
    try {
      return await this.health.check(this.probes.map((probe) => () => probe.check()));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(error.getStatus());
      return error.getResponse();
    }
  }
}

export interface HealthOptions {
  probes: Type<HealthProbe>[];
  imports?: DynamicModule['imports'];
}

/** `GET /health`: 200 when every probe is up, 503 naming the ones that are not. */
@Module({})
export class HealthModule {
  static register(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        ...options.probes,
        {
          provide: HEALTH_PROBES,
          inject: options.probes,
          useFactory: (...probes: HealthProbe[]) => probes,
        },
      ],
    };
  }
}
