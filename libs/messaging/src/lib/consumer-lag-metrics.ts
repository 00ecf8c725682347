import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { MetricName, metricsRegistry, refreshOnScrape } from '@petstore/platform';
import { Admin, Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';
import { kafkaClientConfig } from './kafka-options';
import { kafkaConfig, KafkaConfig } from './kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

const lag = new Gauge({
  name: MetricName.consumerLag,
  help: "Messages on a partition not yet committed by this service's consumer group",
  labelNames: ['topic', 'partition'] as const,
  registers: [metricsRegistry],
});

/** Few and quick: a scrape waits for the answer only briefly, and a broker that is away should fail fast. */
const ADMIN_RETRY = { initialRetryTime: 100, retries: 2 };

/**
 * The group's lag as the broker sees it (end offset minus committed offset), asked at each
 * scrape rather than counted by the consumer, so a consumer that is stuck shows its lag growing.
 */
@Injectable()
export class ConsumerLagMetrics implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | undefined;
  private stopRefreshing: (() => void) | undefined;
  /** The refresh under way: a scrape that comes while the broker is slow joins it rather than piling up. */
  private refreshing: Promise<void> | undefined;

  constructor(
    @Inject(kafkaConfig.KEY) private readonly config: KafkaConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onModuleInit(): void {
    this.stopRefreshing = refreshOnScrape(() => {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
      return this.refreshing;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopRefreshing?.();
    await this.reset();
  }

  private async refresh(): Promise<void> {
    try {
      const admin = await this.connected();
      // The topics the group has committed on; then every partition of each, committed on or not.
      const committed = await admin.fetchOffsets({ groupId: this.options.groupId });
      for (const { topic, partitions } of committed) {
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const offset = partitions.find((candidate) => candidate.partition === end.partition)?.offset ?? '-1';
          // -1: nothing committed there yet, so everything the partition still holds is unread.
          const from = offset === '-1' ? Number(end.low) : Number(offset);
          lag.set({ topic, partition: String(end.partition) }, Math.max(0, Number(end.high) - from));
        }
      }
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = new Kafka({ ...kafkaClientConfig(this.config, `${this.options.groupId}-metrics`), retry: ADMIN_RETRY }).admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
