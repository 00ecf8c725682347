import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { poolOf } from '../pooled-data-source';
import { MetricName } from './metric-names';
import { metricsRegistry } from './metrics-registry';

/** The app's node-postgres pool, once its database module is up. */
let pool: Pool | undefined;

// Read when the registry renders, after the scrape's own queries gave their connections back,
// so the figures are the app's load and not the scrape's. Registered by being created.
new Gauge({
  name: MetricName.dbPoolInUse,
  help: 'Connections of the database pool lent out to a query or transaction',
  registers: [metricsRegistry],
  collect() {
    if (pool) this.set(pool.totalCount - pool.idleCount);
  },
});

new Gauge({
  name: MetricName.dbPoolWaiting,
  help: 'Queries and transactions waiting for a connection because the pool has none free',
  registers: [metricsRegistry],
  collect() {
    if (pool) this.set(pool.waitingCount);
  },
});

/** Points the pool gauges at the pool behind TypeORM. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    pool = poolOf(this.dataSource);
  }

  onModuleDestroy(): void {
    pool = undefined;
  }
}
