import { Injectable } from '@nestjs/common';
import { OrderRecord } from './order-record';

/** How often a waiting placement looks at the database even without a signal (another instance may have consumed the event). */
const POLL_INTERVAL_MS = 500;

/** One placement's wait for its order to settle, listening from the moment it was expected. */
export interface ExpectedPlacement {
  /** Waits until `settled` accepts the order, signalled or read each poll interval, or `timeoutMs` passes; then undefined. */
  settle(
    timeoutMs: number,
    read: () => Promise<OrderRecord | null>,
    settled: (order: OrderRecord | null) => order is OrderRecord,
  ): Promise<OrderRecord | undefined>;
  /** Stops listening, for a placement that ends without waiting (its reservation failed). */
  cancel(): void;
}

/**
 * Lets placeOrder wait for its own PET_RESERVED to be consumed: placeOrder starts listening
 * before it asks for the reservation, so the signal of the Kafka handler, which carries the
 * order as it committed it, cannot come too early, and the waiter answers from it without a
 * read. It reads the database only on each poll interval, so a signal that went to another
 * instance costs at most one interval.
 */
@Injectable()
export class PlacementWaiter {
  private readonly listeners = new Map<number, Set<(order: OrderRecord) => void>>();

  signal(order: OrderRecord): void {
    for (const listener of this.listeners.get(order.id) ?? []) listener(order);
  }

  expect(orderId: number): ExpectedPlacement {
    let signalled: OrderRecord | undefined;
    let wake: (() => void) | undefined;
    const listener = (order: OrderRecord) => {
      signalled = order;
      wake?.();
    };
    const listeners = this.listeners.get(orderId) ?? new Set();
    listeners.add(listener);
    this.listeners.set(orderId, listeners);
    const cancel = () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(orderId) === listeners) this.listeners.delete(orderId);
    };
    const signalOrPoll = (ms: number) =>
      new Promise<'signalled' | 'poll'>((resolve) => {
        const timer = setTimeout(() => resolve('poll'), ms);
        wake = () => {
          clearTimeout(timer);
          resolve('signalled');
        };
      });
    return {
      cancel,
      settle: async (timeoutMs, read, settled) => {
        const deadline = Date.now() + timeoutMs;
        try {
          for (;;) {
            if (signalled && settled(signalled)) return signalled;
            const left = deadline - Date.now();
            if (left <= 0) return undefined;
            if ((await signalOrPoll(Math.min(left, POLL_INTERVAL_MS))) === 'poll') {
              const order = await read();
              if (settled(order)) return order;
            }
          }
        } finally {
          wake = undefined;
          cancel();
        }
      },
    };
  }
}
