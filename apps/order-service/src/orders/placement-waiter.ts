import { Injectable } from '@nestjs/common';

/** How often a waiting placement looks at the database even without a signal (another instance may have consumed the event). */
const POLL_INTERVAL_MS = 500;

/**
 * Lets placeOrder wait for its own PET_RESERVED to be consumed: the Kafka handler signals the
 * order id after its transaction commits, and waiters re-read the database on each signal or
 * poll interval, so a missed signal costs at most one interval.
 */
@Injectable()
export class PlacementWaiter {
  private readonly listeners = new Map<number, Set<() => void>>();

  signal(orderId: number): void {
    for (const listener of this.listeners.get(orderId) ?? []) listener();
  }

  /** Reads until `settled` accepts what `read` returns, or `timeoutMs` passes; then undefined. */
  async waitFor<T>(orderId: number, timeoutMs: number, read: () => Promise<T>, settled: (value: T) => boolean): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const wake = this.listen(orderId);
      try {
        const value = await read();
        if (settled(value)) return value;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        await Promise.race([wake.signalled, sleep(Math.min(left, POLL_INTERVAL_MS))]);
      } finally {
        wake.stop();
      }
    }
  }

  private listen(orderId: number): { signalled: Promise<void>; stop: () => void } {
    let listener: () => void = () => undefined;
    const signalled = new Promise<void>((resolve) => (listener = resolve));
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
