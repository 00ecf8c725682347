import { DynamicModule, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { METRICS_SCRAPE_REUSE_MS, metricsCacheConfig, MetricsCacheConfig, MetricsController } from '../metrics/metrics.controller';
import { collectProcessMetrics } from '../metrics/metrics-registry';
import { ServiceName } from '../service-catalog';
import { stopTracing } from './tracing';

@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing().catch((error: Error) => Logger.warn(`the last spans were not sent: ${error.message}`, 'Tracing'));
  }
}

export interface ObservabilityOptions {
  /**
   * Answer the text of a scrape made within METRICS_CACHE_MS rather than scrape again (the app
   * validates `metricsCacheConfig.environment`): for an app whose /metrics is public, so a flood
   * of asks costs it one scrape per period. Without it, every ask scrapes.
   */
  reuseScrapes?: boolean;
}

/** `GET /metrics` with the process' own metrics, and the last spans sent when the app stops. */
@Module({})
export class ObservabilityModule {
  static forService(service: ServiceName, options: ObservabilityOptions = {}): DynamicModule {
    collectProcessMetrics(service);
    return {
      module: ObservabilityModule,
      imports: options.reuseScrapes ? [ConfigModule.forFeature(metricsCacheConfig)] : [],
      controllers: [MetricsController],
      providers: [
        TracingShutdown,
        options.reuseScrapes
          ? { provide: METRICS_SCRAPE_REUSE_MS, inject: [metricsCacheConfig.KEY], useFactory: (cache: MetricsCacheConfig) => cache.scrapeReuseMs }
          : { provide: METRICS_SCRAPE_REUSE_MS, useValue: 0 },
      ],
    };
  }
}
