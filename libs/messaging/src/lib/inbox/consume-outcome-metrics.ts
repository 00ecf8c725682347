import { MetricName, metricsRegistry } from '@petstore/platform';
import { Counter } from 'prom-client';

const consumed = new Counter({
  name: MetricName.inboxEvents,
  help: 'Events consumed, by topic and what the inbox did with each: applied, duplicate (seen before), stale (an older version than applied), ignored, dead-lettered',
  labelNames: ['topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** Counts one consumed event under what became of it, and passes that on. */
export function countConsumeOutcome<T extends string>(topic: string, outcome: T): T {
  consumed.inc({ topic, outcome });
  return outcome;
}
