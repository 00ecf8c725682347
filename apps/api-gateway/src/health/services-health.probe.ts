import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import {
  HealthProbe,
  isImpairedState,
  PROBE_TIMEOUT_MS,
  ServiceClient,
  serviceClientToken,
  ServiceErrorException,
  ServiceUnansweredException,
} from '@petstore/platform';
import { DOWNSTREAM } from '../app/service';

/**
 * A service's own probes may each take PROBE_TIMEOUT_MS before it answers; the gateway waits a
 * second longer, so a service that is slow to decide is reported with its own verdict (503, its
 * database down) rather than as unreachable, and a busy gateway, late to read an answer that came
 * in time, does not call the service away. undici's timers fire up to about half a second late,
 * which still leaves the gateway's /health under the 5 s that the stack and compose wait for it.
 */
export const SERVICE_PROBE_TIMEOUT_MS = PROBE_TIMEOUT_MS + 1000;

/** A service's /health body, as terminus words it: each probe's status, and its state where it has one. */
interface ServiceHealth {
  details?: Record<string, { status?: string; state?: unknown }>;
}

/** 'up', or 'up (database read-only)' when a healthy service says one of its probes is impaired. */
function upAsReported(health: ServiceHealth | undefined): string {
  const impaired = Object.entries(health?.details ?? {})
    .filter(([, probe]) => isImpairedState(probe.state))
    .map(([name, probe]) => `${name} ${String(probe.state)}`);
  return impaired.length > 0 ? `up (${impaired.join(', ')})` : 'up';
}

/** 'down (503)' in the service's own words; else whether it answered nothing in time (hung) or could not be reached at all. */
function whyNotUp(error: unknown): string {
  if (error instanceof ServiceErrorException) return `down (${error.getStatus()})`;
  if (error instanceof ServiceUnansweredException) return `no answer within ${SERVICE_PROBE_TIMEOUT_MS} ms`;
  return 'unreachable';
}

/**
 * The gateway is healthy when every service behind it reports healthy. A service that is up but
 * impaired (its database read-only, its consumer waiting out a failure) keeps the gateway
 * healthy, and is reported as such.
 */
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
          const { body } = await client.call<ServiceHealth>({ path: '/health', timeoutMs: SERVICE_PROBE_TIMEOUT_MS });
          return [service, upAsReported(body)] as const;
        } catch (error) {
          return [service, whyNotUp(error)] as const;
        }
      }),
    );
    const details = Object.fromEntries(results);
    return results.every(([, status]) => status.startsWith('up')) ? indicator.up(details) : indicator.down(details);
  }
}
