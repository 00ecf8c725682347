import { BaseRpcContext } from '@nestjs/microservices';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';

type BatchPayload = Pick<EachBatchPayload, 'batch' | 'resolveOffset' | 'heartbeat' | 'isRunning' | 'isStale'>;

/**
 * What EventConsumerServer hands a service's `@EventPattern` handler: the messages one fetch
 * brought for one partition, in offset order, for EventConsumer.consume to apply. A message is
 * marked done once what it changed has committed; a message to try again later stops the batch
 * there, and the server pauses the partition for the wait `pendingRetry` names.
 */
export class ConsumedBatch extends BaseRpcContext<[BatchPayload]> {
  private retry: { offset: string; inMs: number } | undefined;
  private moved = false;

  constructor(private readonly payload: BatchPayload) {
    super([payload]);
  }

  get topic(): string {
    return this.payload.batch.topic;
  }

  get partition(): number {
    return this.payload.batch.partition;
  }

  get messages(): KafkaMessage[] {
    return this.payload.batch.messages;
  }

  /** The consumer is stopping or the partition was reassigned or sought: the rest is fetched again. */
  get interrupted(): boolean {
    return this.moved || !this.payload.isRunning() || this.payload.isStale();
  }

  /**
   * The partition went to another member of the group while this batch went on by itself (see
   * EventConsumerServer): the batch stops at its next transaction and marks nothing more done.
   * kafkajs would commit what it marks with the group's new generation, which the broker accepts
   * for a partition another member now owns, moving that member's committed offset back.
   */
  movedAway(): void {
    this.moved = true;
  }

  get hasMovedAway(): boolean {
    return this.moved;
  }

  /** The message at `offset` needs nothing more: its offset may be committed (unless the partition moved away). */
  done(offset: string): void {
    if (!this.moved) this.payload.resolveOffset(offset);
  }

  heartbeat(): Promise<void> {
    return this.payload.heartbeat();
  }

  /** The message at `offset` failed in a way that may pass: the partition is to pause, then deliver it again. */
  retryLater(offset: string, inMs: number): void {
    this.retry = { offset, inMs };
  }

  /** The message to deliver again and after how long, when one failed transiently. */
  get pendingRetry(): { offset: string; inMs: number } | undefined {
    return this.retry;
  }
}
