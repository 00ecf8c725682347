import type { ModuleMetadata, Type } from '@nestjs/common';
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
