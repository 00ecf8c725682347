import { KafkaContext, KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Consumer, EachBatchPayload, KafkaJSError } from 'kafkajs';
import { ConsumedBatch } from './consumed-batch';
import { ConsumerStatus } from './consumer-status';

const RESTART_DELAY_MS = 2000;

/**
 * How long the offsets of applied messages may wait to be committed. kafkajs commits after every
 * batch, one broker request per partition and fetch, more than one per order under load; a crash
 * or a rebalance now delivers again at most this much, which the inbox records as duplicates.
 */
export const OFFSET_COMMIT_INTERVAL_MS = 200;

/**
 * How long one partition's batch may hold the consumer's next fetch. kafkajs fetches again only
 * once every batch of the last fetch is handled, so a batch held up by its database (a row
 * locked elsewhere waits up to the lock timeout, 10 s) would hold every other partition as long.
 * Past this, the batch's partition is paused and the batch goes on by itself; the partition
 * resumes once it is done, from the first message it left unapplied.
 */
export const BATCH_HOLD_LIMIT_MS = 1000;

type CommitPayload = Pick<EachBatchPayload, 'commitOffsetsIfNecessary' | 'uncommittedOffsets'>;

/**
 * Nest's Kafka server, handing each `@EventPattern` handler whole batches (one partition's
 * messages from one fetch, see ConsumedBatch) instead of single messages, so a service applies
 * them in one transaction; telling the service's ConsumerStatus when the consumer has joined
 * its group (and when it is rebalancing, crashed or stopped), letting a shutdown drain it, and
 * waiting out a message whose handling failed transiently (see EventConsumer), and letting a
 * slow batch go on by itself (see BATCH_HOLD_LIMIT_MS). Offsets are committed at most every
 * OFFSET_COMMIT_INTERVAL_MS, once no batch follows, before a partition pauses and when the
 * consumer stops.
 */
export class EventConsumerServer extends ServerKafka {
  private stopping = false;
  /** Commits what the last batches left uncommitted, once no batch has done it for an interval. */
  private idleCommit: { timer: NodeJS.Timeout; commit: () => Promise<void> } | undefined;
  /** Batches that went on by themselves past BATCH_HOLD_LIMIT_MS, their partitions paused until they end. */
  private readonly detached = new Map<Promise<void>, ConsumedBatch>();

  constructor(
    options: Required<KafkaOptions>['options'],
    private readonly consumerStatus: ConsumerStatus,
  ) {
    super(options);
    consumerStatus.drainWith(async () => {
      this.stopping = true;
      await Promise.all(this.detached.keys());
      await this.commitIdle();
      await this.close();
    });
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.consumerStatus.changedTo('consuming');
      this.stopBatchesMovedAway(payload.memberAssignment);
    });
    consumer.on(REBALANCING, () => this.consumerStatus.changedTo(this.consumerStatus.state === 'starting' ? 'starting' : 'rebalancing'));
    consumer.on(CRASH, ({ payload }) => {
      this.consumerStatus.changedTo('crashed');
      if (!payload.restart) void this.startAgain(payload.error);
    });
    consumer.on(STOP, () => this.consumerStatus.changedTo('stopped'));
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({
      ...this.options.run,
      autoCommit: false,
      autoCommitInterval: OFFSET_COMMIT_INTERVAL_MS,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
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
   * After Nest has run the topic's handler on the batch: the offsets marked done are committed
   * if the interval has passed since the last commit, else soon (see commitWhenIdle). A message
   * to try again pauses its partition for the backoff and is handed back to kafkajs as an error,
   * once the offsets marked done are committed: kafkajs then fetches from that message once the
   * partition resumes. This happens here, outside Nest's exception filters, so the error reaches
   * kafkajs as it is.
   */
  async handleBatch(payload: EachBatchPayload): Promise<void> {
    const batch = new ConsumedBatch(payload);
    // Nest passes the context through to the handler's @Ctx() as it is; its type names the per-message one.
    const handling = this.handleEvent(batch.topic, { pattern: batch.topic, data: undefined }, batch as unknown as KafkaContext);
    if (!(await settlesWithin(handling, BATCH_HOLD_LIMIT_MS))) {
      this.detach(payload, batch, handling);
      return;
    }
    await handling;
    const retry = batch.pendingRetry;
    if (retry || this.stopping) {
      await commitNow(payload);
    } else {
      await payload.commitOffsetsIfNecessary();
      this.commitWhenIdle(payload);
    }
    if (!retry) return;
    const resume = payload.pause();
    setTimeout(resume, retry.inMs).unref();
    throw new KafkaJSError(`${batch.topic}[${batch.partition}]@${retry.offset} is tried again in ${retry.inMs} ms`, { retriable: true });
  }

  /**
   * Lets a batch past BATCH_HOLD_LIMIT_MS go on while the consumer fetches for its other
   * partitions: its partition pauses, and resumes once the batch is done (after the backoff if a
   * message is to be tried again), fetching from the first message the batch did not apply. Should
   * the partition move to another member meanwhile, the batch stops at its next transaction and
   * commits nothing (see stopBatchesMovedAway); that member applies what it had not, and the
   * inbox takes what it had for the duplicates they are.
   */
  private detach(payload: EachBatchPayload, batch: ConsumedBatch, handling: Promise<unknown>): void {
    const resume = payload.pause();
    this.consumerStatus.slowBatch(batch.topic, batch.partition);
    this.logger.log(
      `${batch.topic}[${batch.partition}]: a batch still running after ${BATCH_HOLD_LIMIT_MS} ms goes on by itself; the partition resumes once it is done`,
    );
    const detached = handling
      .then(async () => {
        if (batch.hasMovedAway) {
          resume();
          return;
        }
        const retry = batch.pendingRetry;
        await this.commitOrWarn(payload);
        if (retry) setTimeout(resume, retry.inMs).unref();
        else resume();
      })
      .catch((error: Error) => {
        this.logger.warn(`${batch.topic}[${batch.partition}]: a batch that went on by itself ended in ${error.message}; it is fetched again`);
        resume();
      })
      .finally(() => {
        this.consumerStatus.batchDone(batch.topic, batch.partition);
        this.detached.delete(detached);
      });
    this.detached.set(detached, batch);
  }

  /**
   * Once the group has rebalanced, tells each batch going on by itself whose partition is no
   * longer this member's that it moved away: kafkajs waits for the batches it handed out before
   * it rejoins, but not for these.
   */
  private stopBatchesMovedAway(assignment: Record<string, number[]>): void {
    for (const batch of this.detached.values()) {
      if (batch.hasMovedAway || assignment[batch.topic]?.includes(batch.partition)) continue;
      batch.movedAway();
      this.logger.log(
        `${batch.topic}[${batch.partition}] went to another member while a batch of it went on by itself; the batch stops, and that member applies the rest`,
      );
    }
  }

  /** Once an interval passes without a batch, commits what is still uncommitted, so a quiet topic's lag reads 0. */
  private commitWhenIdle(payload: CommitPayload): void {
    if (this.idleCommit) clearTimeout(this.idleCommit.timer);
    const commit = () => {
      this.idleCommit = undefined;
      return this.commitOrWarn(payload);
    };
    this.idleCommit = { timer: setTimeout(commit, OFFSET_COMMIT_INTERVAL_MS).unref(), commit };
  }

  private commitOrWarn(payload: CommitPayload): Promise<void> {
    return commitNow(payload).catch((error: Error) =>
      this.logger.warn(`committing consumed offsets failed; they are delivered again: ${error.message}`),
    );
  }

  private async commitIdle(): Promise<void> {
    if (!this.idleCommit) return;
    clearTimeout(this.idleCommit.timer);
    await this.idleCommit.commit();
  }
}

/** Commits every offset marked done and not yet committed, whatever the interval. */
async function commitNow(payload: CommitPayload): Promise<void> {
  await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
}

/** Whether `work` settles (either way) within `ms`. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
