import type { Pool, QueryResult } from 'pg';
import { DataSource, QueryFailedError, QueryRunner } from 'typeorm';

/** The node-postgres pool TypeORM's Postgres driver made from the options, with the services' client. */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * A DataSource that sends a statement run outside a transaction (`dataSource.query`, and `query`
 * on its default manager) straight to its connection pool. TypeORM's own path takes a query
 * runner for each: a connection checked out, a broadcast to subscribers (there are none), the
 * statement, the connection released, each its own promise; on Node 20, where every promise pays
 * for the correlation scope's hooks, that was 5–7 µs of pet-service's 91–93 per single-pet read
 * (docs/performance.md, "nineteenth session"). A statement in a transaction takes the
 * transaction's query runner as before, and so does any statement while the DataSource is not
 * connected (TypeORM then fails it as not connected).
 *
 * It answers as TypeORM's `query()` does: the rows, or `[rows, affected]` for UPDATE and DELETE;
 * a failure as a QueryFailedError around node-postgres' error, logged by TypeORM's logger.
 */
export class PooledDataSource extends DataSource {
  // TypeORM declares query() generic over the caller's row type, with `any` parameters.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async query<T = any>(query: string, parameters?: any[], queryRunner?: QueryRunner): Promise<T> {
    // Before initialize() and after destroy() there is no pool: TypeORM's path says so.
    if (queryRunner || !this.isInitialized) return super.query<T>(query, parameters, queryRunner);
    this.logger.logQuery(query, parameters);
    let result: QueryResult;
    try {
      result = await poolOf(this).query(query, parameters);
    } catch (error) {
      this.logger.logQueryError(error as Error, query, parameters);
      throw new QueryFailedError(query, parameters, error as Error);
    }
    return (result.command === 'UPDATE' || result.command === 'DELETE' ? [result.rows, result.rowCount] : result.rows) as T;
  }
}
