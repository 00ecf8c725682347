import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HealthProbe, PROBE_TIMEOUT_MS } from './health';

@Injectable()
export class DatabaseHealthProbe implements HealthProbe {
  constructor(private readonly typeOrm: TypeOrmHealthIndicator) {}

  check(): Promise<HealthIndicatorResult> {
    return this.typeOrm.pingCheck('database', { timeout: PROBE_TIMEOUT_MS });
  }
}
