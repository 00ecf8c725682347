import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PROBE_TIMEOUT_MS, withTimeout } from '@petstore/platform';
import { Admin, Kafka } from 'kafkajs';
import { kafkaClientConfig } from './kafka-options';
import { kafkaConfig, KafkaConfig } from './kafka.config';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/** Reports Kafka up when the cluster answers a metadata request within the timeout. */
@Injectable()
export class KafkaHealthProbe implements OnApplicationShutdown {
  private admin: Admin | undefined;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(kafkaConfig.KEY) private readonly config: KafkaConfig,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('kafka');
    try {
      const cluster = await withTimeout(this.describeCluster(), PROBE_TIMEOUT_MS, 'no answer');
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      // Not awaited: a broker that stopped answering holds a disconnect until kafkajs' own
      // request timeout (30 s), and the probe's answer would wait with it.
      void this.reset();
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await withTimeout(this.reset(), PROBE_TIMEOUT_MS, 'no answer').catch(() => undefined);
  }

  private async describeCluster() {
    if (!this.admin) {
      const client = new Kafka({
        ...kafkaClientConfig(this.config, `${this.options.groupId}-health`),
        retry: { retries: 0 },
      });
      this.admin = client.admin();
      await this.admin.connect();
    }
    return this.admin.describeCluster();
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
