import { DynamicModule, Module } from '@nestjs/common';
import { MetricsController } from '../metrics/metrics.controller';
import { collectProcessMetrics } from '../metrics/metrics-registry';
import { ServiceName } from '../service-catalog';

/** `GET /metrics` with the process' own metrics. */
@Module({})
export class ObservabilityModule {
  static forService(service: ServiceName): DynamicModule {
    collectProcessMetrics(service);
    return { module: ObservabilityModule, controllers: [MetricsController] };
  }
}
