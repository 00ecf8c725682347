import { LRUCache } from 'lru-cache';

/**
 * `produce`, asked at most once per `reuseMs`: an ask within that time of the last answer gets
 * it, and one that arrives while an answer is being produced shares it. For public answers that
 * cost dependencies or CPU to produce, which a flood of asks would otherwise produce as often.
 * 0: `produce` itself, asked every time (to lru-cache a TTL of 0 would mean for ever).
 */
export function reusedFor<T extends NonNullable<unknown>>(reuseMs: number, produce: () => Promise<T>): () => Promise<T> {
  if (reuseMs === 0) return produce;
  const answers = new LRUCache<'answer', T>({ max: 1, ttl: reuseMs, fetchMethod: produce });
  return async () => (await answers.fetch('answer')) ?? produce();
}
