import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { MetricsController } from '../metrics/metrics.controller';
import { collectProcessMetrics } from '../metrics/metrics-registry';
import { ServiceName } from '../service-catalog';
import { stopTracing } from './tracing';

@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing().catch((error: Error) => Logger.warn(`the last spans were not sent: ${error.message}`, 'Tracing'));
  }
}

/** `GET /metrics` with the process' own metrics, and the last spans sent when the app stops. */
@Module({})
export class ObservabilityModule {
  static forService(service: ServiceName): DynamicModule {
    collectProcessMetrics(service);
    return { module: ObservabilityModule, controllers: [MetricsController], providers: [TracingShutdown] };
  }
}
