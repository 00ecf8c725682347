import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

/** A partition the consumer has paused while it waits out a transient failure. */
export interface WaitingPartition {
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  since: Date;
  error: string;
  /** How long the partition pauses before the message is tried again. */
  retryInMs: number;
}

/** A partition paused while a batch of it that outran BATCH_HOLD_LIMIT_MS goes on by itself (a slow event, not a failure). */
export interface SlowPartition {
  topic: string;
  partition: number;
  since: Date;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}[${partition}]`;
}

/** `starting` until the group is first joined; `rebalancing` while a joined consumer's group reassigns partitions. */
export type ConsumerState = 'starting' | 'consuming' | 'rebalancing' | 'stopped' | 'crashed';

/**
 * What the service's consumer is doing, for `/health`: whether it has joined its group yet,
 * which partitions wait out a failure or a slow batch, and how many messages it parked since it
 * started.
 * It also holds the consumer's stop, so a shutdown drains it before the outbox relay's last pass.
 */
@Injectable()
export class ConsumerStatus implements OnModuleDestroy {
  private readonly logger = new Logger(ConsumerStatus.name);
  private current: ConsumerState = 'starting';
  private readonly waiting = new Map<string, WaitingPartition>();
  private readonly slow = new Map<string, SlowPartition>();
  private parked = 0;
  private stopConsumer: (() => Promise<void>) | undefined;

  get state(): ConsumerState {
    return this.current;
  }

  get waitingPartitions(): WaitingPartition[] {
    return [...this.waiting.values()];
  }

  get slowPartitions(): SlowPartition[] {
    return [...this.slow.values()];
  }

  get parkedSinceStart(): number {
    return this.parked;
  }

  changedTo(state: ConsumerState): void {
    if (state !== this.current) this.logger.log(`consumer ${state}`);
    this.current = state;
    if (state !== 'consuming') this.waiting.clear();
  }

  /** Records one more failed attempt at the message a partition is stuck on, and answers the partition's wait as it now is. */
  failed(topic: string, partition: number, offset: string, error: Error, backoffMs: (attempt: number) => number): WaitingPartition {
    const key = partitionKey(topic, partition);
    const previous = this.waiting.get(key);
    const attempts = previous && previous.offset === offset ? previous.attempts + 1 : 1;
    const since = previous?.since ?? new Date();
    const wait = { topic, partition, offset, attempts, since, error: error.message, retryInMs: backoffMs(attempts) };
    this.waiting.set(key, wait);
    return wait;
  }

  recovered(topic: string, partition: number): void {
    if (this.waiting.delete(partitionKey(topic, partition))) this.logger.log(`${topic}[${partition}] consuming again`);
  }

  /** A batch of the partition goes on by itself past the hold limit; its partition is paused until batchDone. */
  slowBatch(topic: string, partition: number): void {
    this.slow.set(partitionKey(topic, partition), { topic, partition, since: new Date() });
  }

  batchDone(topic: string, partition: number): void {
    this.slow.delete(partitionKey(topic, partition));
  }

  parkedOne(): void {
    this.parked += 1;
  }

  drainWith(stop: () => Promise<void>): void {
    this.stopConsumer = stop;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stopConsumer?.();
    this.changedTo('stopped');
  }
}
