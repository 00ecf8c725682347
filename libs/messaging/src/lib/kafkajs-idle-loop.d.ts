/** What the fix reads and replaces of kafkajs' per-connection request queue (kafkajs 2.2.4). */
export interface KafkajsRequestQueue {
  pending: unknown[];
  /** Until when the broker throttles this connection, in ms since the epoch; -1 when it never did. */
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

export function kafkajsRequestQueueClass(): { prototype: KafkajsRequestQueue };

export function fixKafkajsIdleLoop(): void;
