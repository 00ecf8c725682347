import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';

export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

export interface OutgoingMessage {
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** Sends messages through the app's producer-only Kafka client, reconnecting after an outage. */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(@Inject(KAFKA_PRODUCER) private readonly client: ClientKafka) {}

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.client.connect();
      await lastValueFrom(this.client.emitBatch(topic, { messages }), { defaultValue: undefined });
    } catch (error) {
      // ClientKafka caches a failed connection for good; closing it lets the next call reconnect.
      await this.client.close().catch((closeError: Error) => this.logger.debug(closeError.message));
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
