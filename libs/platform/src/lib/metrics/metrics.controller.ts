import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../public.decorator';
import { metricsRegistry, scrapeMetrics } from './metrics-registry';

/** `GET /metrics` in Prometheus' text format; public like /health, since Prometheus scrapes without a token. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Public()
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return scrapeMetrics();
  }
}
