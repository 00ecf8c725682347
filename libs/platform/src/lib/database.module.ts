import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from './config';
import { ensureDatabaseExists, withDatabase } from './ensure-database';
import { DatabasePoolMetrics } from './metrics/database-pool-metrics';
import { ServiceName } from './service-catalog';

/** An entity or migration class. */
export type PersistenceClass = new (...args: never[]) => object;

export interface DatabaseOptions {
  /** What the service reaches through TypeORM's repositories; tables it reaches by SQL need none. */
  entities?: PersistenceClass[];
  migrations: PersistenceClass[];
}

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
              entities: options.entities ?? [],
              migrations: options.migrations,
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              synchronize: false,
              // A request waits at most this long for a connection, and a statement runs at most
              // this long, so a database that is away or stuck is a prompt 503, never a hang.
              extra: { max: 20, connectionTimeoutMillis: 3_000, statement_timeout: 30_000 },
            };
          },
        }),
      ],
      providers: [DatabasePoolMetrics],
    };
  }
}
