import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { PoolConfig } from 'pg';
import { DataSource, DataSourceOptions, QueryRunner } from 'typeorm';
import { databaseConfig, DatabaseConfig } from './config';
import { DatabaseClientConfig, ServiceDatabaseClient } from './database-client';
import { ensureDatabaseExists, withDatabase } from './ensure-database';
import { DatabasePoolMetrics } from './metrics/database-pool-metrics';
import { PooledDataSource } from './pooled-data-source';
import { ServiceName } from './service-catalog';

/** A migration class. */
export type PersistenceClass = new (...args: never[]) => object;

export interface DatabaseOptions {
  migrations: PersistenceClass[];
}

/** Connections each service keeps open however long it is idle. */
export const WARM_CONNECTIONS = 2;

/**
 * Runs the pending migrations while holding a lock every instance of the service takes first:
 * TypeORM takes none, so two instances starting at once (a deployment) both found a migration
 * pending and both ran it; the second failed on a table the first had just created (and a
 * migration that only changes data would have been applied twice). The lock is asked for again
 * every MIGRATIONS_LOCK_POLL_MS rather than waited for in a statement: a waiting statement is an
 * open transaction, which an index built concurrently by the instance holding the lock would
 * wait for in turn. There is no time limit: another instance's migrations may take long.
 */
async function migrateOneAtATime(options: DataSourceOptions): Promise<void> {
  const dataSource = await new DataSource(migrationsOptionsOf(options)).initialize();
  try {
    const lockHolder = dataSource.createQueryRunner();
    await lockHolder.connect();
    try {
      while (!(await tookLock(lockHolder))) await new Promise((resolve) => setTimeout(resolve, MIGRATIONS_LOCK_POLL_MS));
      try {
        await dataSource.runMigrations();
      } finally {
        await lockHolder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [MIGRATIONS_LOCK]);
      }
    } finally {
      await lockHolder.release();
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The migrations' own connections (the lock holder's and the runner's), without the statement
 * and answer timeouts that keep a request from hanging: a migration on a long-grown table may
 * rightly take minutes, and the client closed the connection of an index build past 35 s. The
 * lock timeout stays: DDL waiting for a lock queues every request on its table behind it.
 */
function migrationsOptionsOf(options: DataSourceOptions): DataSourceOptions {
  const extra: PoolConfig & DatabaseClientConfig = { ...options.extra, max: 2, min: 0, statement_timeout: undefined, answerTimeoutMillis: undefined };
  return { ...options, extra } as DataSourceOptions;
}

async function tookLock(session: QueryRunner): Promise<boolean> {
  const [{ taken }]: { taken: boolean }[] = await session.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS taken`, [MIGRATIONS_LOCK]);
  return taken;
}

/** The advisory lock migrateOneAtATime holds: one per database, as each service has its own. */
const MIGRATIONS_LOCK = 'petstore-migrations';

const MIGRATIONS_LOCK_POLL_MS = 250;

/** The service's own Postgres database, created if missing, migrated at start; never synchronized. */
@Module({})
export class DatabaseModule {
  static forService(service: ServiceName, options: DatabaseOptions): DynamicModule {
    const config = databaseConfig(service);
    return {
      module: DatabaseModule,
      imports: [
        ConfigModule.forFeature(config),
        TypeOrmModule.forRootAsync({
          imports: [ConfigModule.forFeature(config)],
          inject: [config.KEY],
          useFactory: async (database: DatabaseConfig) => {
            await ensureDatabaseExists(database.serverUrl, database.database);
            return {
              type: 'postgres' as const,
              url: withDatabase(database.serverUrl, database.database),
              migrations: options.migrations,
              // Run by migrateOneAtATime, on connections of their own, before the DataSource is up.
              migrationsRun: false,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              // Names the service's connections in pg_stat_activity and the server's logs.
              applicationName: service,
              // A request waits at most this long for a connection, a lock and a statement, and the
              // client closes a connection whose server stopped answering, so a database that is away
              // or stuck is a prompt 503, never a hang. A transaction left idle (a stalled relay
              // holding its advisory lock) is ended by the server, so it cannot block the others.
              extra: {
                Client: ServiceDatabaseClient,
                max: 20,
                // Connections idle for 10 s (node-postgres' default) are closed down to these: a new
                // one costs a request 10–20 ms (the server starts a backend, its statements are
                // prepared again), which a quiet service would otherwise pay on every request.
                min: WARM_CONNECTIONS,
                connectionTimeoutMillis: 3_000,
                lock_timeout: 10_000,
                statement_timeout: 30_000,
                answerTimeoutMillis: 35_000,
                idle_in_transaction_session_timeout: 60_000,
              } satisfies PoolConfig & DatabaseClientConfig,
            };
          },
          dataSourceFactory: async (options) => {
            await migrateOneAtATime(options as DataSourceOptions);
            return new PooledDataSource(options as DataSourceOptions).initialize();
          },
        }),
      ],
      providers: [DatabasePoolMetrics],
    };
  }
}
