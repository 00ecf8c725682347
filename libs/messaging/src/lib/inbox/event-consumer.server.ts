import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Consumer, EachMessagePayload, KafkaJSError } from 'kafkajs';
import { ConsumerStatus } from './consumer-status';

/**
 * Nest's Kafka server, telling the service's ConsumerStatus when the consumer has joined its
 * group (and when it is rebalancing, crashed or stopped), letting a shutdown drain it, and
 * waiting out a message whose handling failed transiently (see EventConsumer).
 */
export class EventConsumerServer extends ServerKafka {
  constructor(
    options: Required<KafkaOptions>['options'],
    private readonly consumerStatus: ConsumerStatus,
  ) {
    super(options);
    consumerStatus.drainWith(() => this.close());
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, () => this.consumerStatus.changedTo('consuming'));
    consumer.on(REBALANCING, () => this.consumerStatus.changedTo('starting'));
    consumer.on(CRASH, () => this.consumerStatus.changedTo('crashed'));
    consumer.on(STOP, () => this.consumerStatus.changedTo('stopped'));
    await super.bindEvents(consumer);
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
