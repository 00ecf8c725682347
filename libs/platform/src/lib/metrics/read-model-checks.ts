import { Counter } from 'prom-client';
import { MetricName } from './metric-names';
import { metricsRegistry } from './metrics-registry';

/** The read models checked against their owners' versions, as the metrics' `model` label names them. */
export const ReadModel = {
  InventoryPets: 'inventory-pets',
  InventoryOrders: 'inventory-orders',
  PhotosOfDeletedPets: 'photos-of-deleted-pets',
  PendingPets: 'pending-pets',
  OrdersOfDeletedUsers: 'orders-of-deleted-users',
} as const;

export type ReadModel = (typeof ReadModel)[keyof typeof ReadModel];

/** How a check of a read model against its owner's versions ended: `failed` when the owner (or the model's database) was away. */
export type ReadModelCheckOutcome = 'completed' | 'failed';

const checks = new Counter({
  name: MetricName.readModelChecks,
  help: "Checks of a read model against its owner's versions, by model and how each ended: completed, or failed (the next check tries again)",
  labelNames: ['model', 'outcome'] as const,
  registers: [metricsRegistry],
});

const corrections = new Counter({
  name: MetricName.readModelCorrections,
  help: 'Items a check found behind their owner and corrected: each an event the consumer never applied (expired, or parked and never replayed)',
  labelNames: ['model'] as const,
  registers: [metricsRegistry],
});

/**
 * Counts one check of `model` and the items it `corrected`; a failed check counts those it had
 * corrected (and committed) before it failed. Every check adds to the model's corrections, zero
 * included, so the series exists from the first check and `increase(…) > 0` can alert on drift.
 */
export function countReadModelCheck(model: ReadModel, outcome: ReadModelCheckOutcome, corrected: number): void {
  checks.inc({ model, outcome });
  corrections.inc({ model }, corrected);
}
