import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HealthProbe, PROBE_TIMEOUT_MS, ServiceClient, serviceClientToken, ServiceErrorException } from '@petstore/platform';
import { DOWNSTREAM } from '../app/service';

/** The gateway is healthy when every service behind it reports healthy. */
@Injectable()
export class ServicesHealthProbe implements HealthProbe {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('services');
    const results = await Promise.all(
      DOWNSTREAM.map(async (service) => {
        const client = this.moduleRef.get<ServiceClient>(serviceClientToken(service), { strict: false });
        try {
          await client.call({ path: '/health', timeoutMs: PROBE_TIMEOUT_MS });
          return [service, 'up'] as const;
        } catch (error) {
          return [service, error instanceof ServiceErrorException ? `down (${error.getStatus()})` : 'unreachable'] as const;
        }
      }),
    );
    const details = Object.fromEntries(results);
    return results.every(([, status]) => status === 'up') ? indicator.up(details) : indicator.down(details);
  }
}
