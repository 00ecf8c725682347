import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { HealthProbe, ImpairedState, PROBE_TIMEOUT_MS } from './health';
import { poolOf } from './pooled-data-source';
import { driverErrorOf } from './postgres';
import { withTimeout } from './with-timeout';

/** What `/health` says of a database whose session refuses changes; reads are still served. */
export const DATABASE_READ_ONLY = { state: ImpairedState.ReadOnly, message: 'it accepts no changes: they answer 503 until it does' } as const;

/**
 * Reports the service's database up when a session answers within the timeout, and down with
 * the reason when not ("database … is not currently accepting connections", "connect
 * ECONNREFUSED …", "no answer within 2000 ms"): terminus' own TypeORM ping said only "down".
 * Up but `read-only` when the session refuses changes (a standby, a server set so).
 */
@Injectable()
export class DatabaseHealthProbe implements HealthProbe {
  constructor(
    private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('database');
    try {
      const readOnly = await withTimeout(this.sessionIsReadOnly(), PROBE_TIMEOUT_MS, 'no answer');
      return readOnly ? indicator.up(DATABASE_READ_ONLY) : indicator.up();
    } catch (error) {
      return indicator.down({ message: (driverErrorOf(error) as Error).message });
    }
  }

  /**
   * Asks a pooled session whether it refuses changes. Such a session is then ended, as one that
   * refused a change is (ServiceDatabaseClient): it stays read-only for life, so only a new one
   * shows when the database accepts changes again.
   */
  private async sessionIsReadOnly(): Promise<boolean> {
    if (!this.dataSource.isInitialized) throw new Error('not connected yet');
    const session = await poolOf(this.dataSource).connect();
    try {
      const { rows } = await session.query<{ read_only: string }>(`SELECT current_setting('transaction_read_only') AS read_only`);
      const readOnly = rows[0].read_only === 'on';
      session.release(readOnly);
      return readOnly;
    } catch (error) {
      session.release(true);
      throw error;
    }
  }
}
