import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { HealthProbe, PROBE_TIMEOUT_MS } from './health';
import { driverErrorOf } from './postgres';
import { withTimeout } from './with-timeout';

/**
 * Reports the service's database up when it answers `SELECT 1` within the timeout, and down with
 * the reason when not ("database … is not currently accepting connections", "connect
 * ECONNREFUSED …", "no answer within 2000 ms"): terminus' own TypeORM ping said only "down".
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
      await withTimeout(this.dataSource.query('SELECT 1'), PROBE_TIMEOUT_MS, 'no answer');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (driverErrorOf(error) as Error).message });
    }
  }
}
