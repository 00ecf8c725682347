// A second entry point for what only the services, which own a database, load: TypeORM, its
// Nest module and node-postgres' client stay out of the gateway, which owns none (TypeORM alone
// holds about 6 MB of heap in every process that loads it).
export * from './lib/concurrent-index';
export * from './lib/database.module';
export * from './lib/ensure-database';
export * from './lib/service-infrastructure';
export * from './lib/idempotency/idempotent-requests';
