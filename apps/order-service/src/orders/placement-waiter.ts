import { Injectable } from '@nestjs/common';
import { OrderRecord } from './order-record';

/** How often a waiting placement looks at the database even without a signal (another instance may have consumed the event). */
const POLL_INTERVAL_MS = 500;

/**
 * Lets placeOrder wait for its own PET_RESERVED to be consumed: the Kafka handler signals the
 * order as it committed it, and the waiter answers from that without reading it again; it reads
 * the database only at first and on each poll interval, so a signal that went to another
 * instance costs at most one interval.
 */
@Injectable()
export class PlacementWaiter {
  private readonly listeners = new Map<number, Set<(order: OrderRecord) => void>>();

  signal(order: OrderRecord): void {
    for (const listener of this.listeners.get(order.id) ?? []) listener(order);
  }

  /** Waits until `settled` accepts the order, read or signalled, or `timeoutMs` passes; then undefined. */
  async waitFor(
    orderId: number,
    timeoutMs: number,
    read: () => Promise<OrderRecord | null>,
    settled: (order: OrderRecord | null) => order is OrderRecord,
  ): Promise<OrderRecord | undefined> {
    const deadline = Date.now() + timeoutMs;
    let signalled: OrderRecord | undefined;
    for (;;) {
      const wake = this.listen(orderId);
      try {
        const order = signalled ?? (await read());
        if (settled(order)) return order;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        signalled = await Promise.race([wake.signalled, sleep(Math.min(left, POLL_INTERVAL_MS))]);
      } finally {
        wake.stop();
      }
    }
  }

  private listen(orderId: number): { signalled: Promise<OrderRecord>; stop: () => void } {
    let listener: (order: OrderRecord) => void = () => undefined;
    const signalled = new Promise<OrderRecord>((resolve) => (listener = resolve));
    const listeners = this.listeners.get(orderId) ?? new Set();
    listeners.add(listener);
    this.listeners.set(orderId, listeners);
    return {
      signalled,
      stop: () => {
        listeners.delete(listener);
        if (listeners.size === 0 && this.listeners.get(orderId) === listeners) this.listeners.delete(orderId);
      },
    };
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
