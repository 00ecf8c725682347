import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Consumer, EachMessagePayload, KafkaJSError } from 'kafkajs';
import { ConsumerStatus } from './consumer-status';

const RESTART_DELAY_MS = 2000;

/**
 * Nest's Kafka server, telling the service's ConsumerStatus when the consumer has joined its
 * group (and when it is rebalancing, crashed or stopped), letting a shutdown drain it, and
 * waiting out a message whose handling failed transiently (see EventConsumer).
 */
export class EventConsumerServer extends ServerKafka {
  private stopping = false;

  constructor(
    options: Required<KafkaOptions>['options'],
    private readonly consumerStatus: ConsumerStatus,
  ) {
    super(options);
    consumerStatus.drainWith(async () => {
      this.stopping = true;
      await this.close();
    });
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, () => this.consumerStatus.changedTo('consuming'));
    consumer.on(REBALANCING, () => this.consumerStatus.changedTo(this.consumerStatus.state === 'starting' ? 'starting' : 'rebalancing'));
    consumer.on(CRASH, ({ payload }) => {
      this.consumerStatus.changedTo('crashed');
      if (!payload.restart) void this.startAgain(payload.error);
    });
    consumer.on(STOP, () => this.consumerStatus.changedTo('stopped'));
    await super.bindEvents(consumer);
  }

  /**
   * kafkajs restarts a crashed consumer only after an error it deems retriable; after any other
   * (a group coordinator not found while the broker stops, say) the consumer would stay dead
   * while the service kept answering HTTP. It starts again here, after a pause, until it joins.
   */
  private async startAgain(error: Error): Promise<void> {
    while (!this.stopping) {
      this.logger.error(`consumer crashed and was not restarted by kafkajs (${error.message}); starting it again in ${RESTART_DELAY_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
      if (this.stopping) return;
      try {
        await this.close();
        await new Promise<void>((resolve, reject) => this.listen((failure?: unknown) => (failure ? reject(failure) : resolve())));
        return;
      } catch (failure) {
        error = failure as Error;
      }
    }
  }

  /**
   * After Nest has run the handler: a message to try again pauses its partition for the
   * backoff and is handed back to kafkajs as an error, which leaves its offset uncommitted and
   * makes kafkajs fetch it again once the partition resumes. This happens here, outside Nest's
   * exception filters, so the error reaches kafkajs as it is.
   */
  override async handleMessage(payload: EachMessagePayload): Promise<void> {
    await super.handleMessage(payload);
    const { topic, partition, message } = payload;
    const retryInMs = this.consumerStatus.takeRetry(topic, partition, message.offset);
    if (retryInMs === undefined) return;
    const resume = payload.pause();
    setTimeout(resume, retryInMs).unref();
    throw new KafkaJSError(`${topic}[${partition}]@${message.offset} is tried again in ${retryInMs} ms`, { retriable: true });
  }
}
