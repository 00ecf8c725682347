import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MetricName, metricsRegistry, refreshOnScrape } from '@petstore/platform';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

const backlog = new Gauge({
  name: MetricName.outboxBacklog,
  help: 'Events committed to the outbox and not yet published to Kafka',
  registers: [metricsRegistry],
});

const oldestAge = new Gauge({
  name: MetricName.outboxOldestUnsentAge,
  help: 'How long the oldest unpublished outbox event has waited, 0 when none waits',
  registers: [metricsRegistry],
});

const BACKLOG_SQL = `
  SELECT count(*)::int AS backlog,
         coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS oldest_age
  FROM outbox_message WHERE sent_at IS NULL`;

/** The outbox as the relay sees it, read at each scrape: it grows while Kafka is away. */
@Injectable()
export class OutboxMetrics implements OnModuleInit, OnModuleDestroy {
  private stopRefreshing: (() => void) | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.stopRefreshing = refreshOnScrape(async () => {
      const [row] = await this.dataSource.query(BACKLOG_SQL);
      backlog.set(row.backlog);
      oldestAge.set(row.oldest_age);
    });
  }

  onModuleDestroy(): void {
    this.stopRefreshing?.();
  }
}
