import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import Joi from 'joi';
import { configNamespace, variable } from '../config-namespace';
import { Public } from '../public.decorator';
import { reusedFor } from '../reused-answer';
import { metricsRegistry, scrapeMetrics } from './metrics-registry';

/**
 * How long `GET /metrics`, in an app that reuses its scrapes (the gateway's is public), answers
 * the text of its last scrape instead of scraping again. 0: every ask scrapes.
 */
export const metricsCacheConfig = configNamespace('metricsCache', {
  scrapeReuseMs: variable('METRICS_CACHE_MS', Joi.number().integer().min(0).default(1000)),
});

export type MetricsCacheConfig = ReturnType<typeof metricsCacheConfig.read>;

export const METRICS_SCRAPE_REUSE_MS = Symbol('METRICS_SCRAPE_REUSE_MS');

/** `GET /metrics` in Prometheus' text format; public like /health, since Prometheus scrapes without a token. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly scrapes: () => Promise<string>;

  constructor(@Inject(METRICS_SCRAPE_REUSE_MS) scrapeReuseMs: number) {
    this.scrapes = reusedFor(scrapeReuseMs, scrapeMetrics);
  }

  @Public()
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return this.scrapes();
  }
}
