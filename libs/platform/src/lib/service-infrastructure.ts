import { Logger, type ModuleMetadata, type Type } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { DatabaseModule, DatabaseOptions, PersistenceClass } from './database.module';
import type { EnvironmentSchema } from './config-namespace';
import { databaseConfig } from './config';
import { DatabaseHealthProbe } from './database-health.probe';
import { HealthModule, HealthProbe } from './health';
import { ServiceName } from './service-catalog';
import { ServiceConfigModule } from './service-config.module';
import { ObservabilityModule } from './telemetry/observability.module';
import { serviceAuthEnvironment, ServiceAuthModule } from './service-auth/service-auth.module';

type ModuleImports = NonNullable<ModuleMetadata['imports']>;

/** How often a service deletes the rows it keeps only for a while (see PurgesExpired). */
export const EXPIRED_ROWS_PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * When a service that checks itself against another service (what a crash or an expired event
 * left behind) makes its first check after a start: soon, so what it missed while away is set
 * right within seconds rather than at the first interval.
 */
export const FIRST_CHECK_AFTER_START_MS = 5000;

/**
 * How soon a first check after a start that failed is made again, and how many times in all: a
 * stack started in order (compose starts pet-service before order-service, photo-service before
 * pet-service) brings up the service a check asks after the one that checks.
 */
export const FIRST_CHECK_RETRY_MS = 10_000;
export const FIRST_CHECK_ATTEMPTS = 6;

/**
 * A check's first pass after a start (call it from a `@Timeout(FIRST_CHECK_AFTER_START_MS)`
 * method), made again every FIRST_CHECK_RETRY_MS while it fails (answers false, having said why,
 * or throws, logged here as a warning), at most FIRST_CHECK_ATTEMPTS times; then the check's own
 * interval goes on. The wait does not keep a stopping process alive.
 */
export async function firstCheckAfterStart(what: string, pass: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let completed = false;
    try {
      completed = await pass();
    } catch (error) {
      Logger.warn(error instanceof Error ? error.message : String(error), what);
    }
    if (completed || attempt === FIRST_CHECK_ATTEMPTS) return;
    Logger.log(
      `the first check after start did not complete; trying again in ${FIRST_CHECK_RETRY_MS / 1000} s (attempt ${attempt + 1} of ${FIRST_CHECK_ATTEMPTS})`,
      what,
    );
    await delay(FIRST_CHECK_RETRY_MS, undefined, { ref: false });
  }
}

/**
 * Marks the method that deletes rows a service keeps only for a while (revoked tokens, login
 * counters, idempotency keys): it runs every EXPIRED_ROWS_PURGE_INTERVAL_MS while the service
 * runs, and a pass that fails is logged by the scheduler, naming what it purged, and made again
 * on the next.
 */
export function PurgesExpired(rows: string): MethodDecorator {
  return (target, key, descriptor) => {
    const purge = descriptor.value as (() => Promise<void>) | undefined;
    if (typeof purge !== 'function') throw new TypeError(`@PurgesExpired marks a method, not ${String(key)}`);
    const named = async function (this: unknown): Promise<void> {
      try {
        await purge.call(this);
      } catch (error) {
        throw new Error(`purging expired ${rows} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    descriptor.value = named as typeof descriptor.value;
    Interval(EXPIRED_ROWS_PURGE_INTERVAL_MS)(target, key, descriptor);
  };
}

/**
 * What a shared library adds to the services that use it (messaging adds Kafka's variables,
 * the outbox and inbox tables, its module and the Kafka probe), so a service that does not use
 * it carries none of it.
 */
export interface ServiceFeature {
  environment?: EnvironmentSchema[];
  migrations?: PersistenceClass[];
  imports?: ModuleImports;
  probes?: Type<HealthProbe>[];
}

/** A service reaches its own tables in SQL (a repository of statements), as features reach theirs. */
export interface ServiceInfrastructureOptions extends DatabaseOptions {
  service: ServiceName;
  /** The service's own environment variables. */
  environment?: EnvironmentSchema[];
  features?: ServiceFeature[];
}

/**
 * What every service app is built on: validated configuration, its own migrated database, callers
 * authenticated on every route (see ServiceAuthGuard), `/health` over the database and whatever
 * its features probe, `/metrics`, and the scheduler that runs its `@PurgesExpired` methods.
 */
export function serviceInfrastructure(options: ServiceInfrastructureOptions): ModuleImports {
  const { service } = options;
  const features = options.features ?? [];
  return [
    ServiceConfigModule.forService(service, {
      environment: [
        databaseConfig(service).environment,
        ...serviceAuthEnvironment(service),
        ...features.flatMap((feature) => feature.environment ?? []),
        ...(options.environment ?? []),
      ],
    }),
    DatabaseModule.forService(service, {
      migrations: [...features.flatMap((feature) => feature.migrations ?? []), ...options.migrations],
    }),
    ServiceAuthModule.forService(service, { authenticateCallers: true }),
    ...features.flatMap((feature) => feature.imports ?? []),
    HealthModule.register({ probes: [DatabaseHealthProbe, ...features.flatMap((feature) => feature.probes ?? [])] }),
    ObservabilityModule.forService(service),
    ScheduleModule.forRoot(),
  ];
}
