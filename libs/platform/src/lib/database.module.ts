import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { PoolConfig } from 'pg';
import { DataSourceOptions } from 'typeorm';
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
              migrationsRun: true,
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
          dataSourceFactory: async (options) => new PooledDataSource(options as DataSourceOptions),
        }),
      ],
      providers: [DatabasePoolMetrics],
    };
  }
}
