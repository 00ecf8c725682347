import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HealthProbe, PROBE_TIMEOUT_MS, ServiceClient, serviceClientToken, ServiceErrorException } from '@petstore/platform';
import { DOWNSTREAM } from '../app/service';

/**
 * A service's own probes may each take PROBE_TIMEOUT_MS before it answers; the gateway waits a
 * second longer, so a service that is slow to decide is reported with its own verdict (503, its
 * database down) rather than as unreachable, and a busy gateway, late to read an answer that came
 * in time, does not call the service away. undici's timers fire up to about half a second late,
 * which still leaves the gateway's /health under the 5 s that the stack and compose wait for it.
 */
export const SERVICE_PROBE_TIMEOUT_MS = PROBE_TIMEOUT_MS + 1000;

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
          await client.call({ path: '/health', timeoutMs: SERVICE_PROBE_TIMEOUT_MS });
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
