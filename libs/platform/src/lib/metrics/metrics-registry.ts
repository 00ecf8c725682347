import { Logger } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { withTimeout } from '../with-timeout';

/** The one registry every metric of an app is in, so `GET /metrics` shows them all. */
export const metricsRegistry = new Registry();

type Refresh = () => Promise<void>;

const refreshes = new Set<Refresh>();

/**
 * A refresh reads a gauge's source (a table, the broker) when a scrape asks; one that does not
 * answer in time leaves its gauges at their last values, so a database or broker that is away
 * never stalls or fails the scrape.
 */
export const SCRAPE_REFRESH_TIMEOUT_MS = 2000;

/** Runs `refresh` before every scrape, until the returned function is called. */
export function refreshOnScrape(refresh: Refresh): () => void {
  refreshes.add(refresh);
  return () => refreshes.delete(refresh);
}

export async function scrapeMetrics(): Promise<string> {
  await Promise.all([...refreshes].map((refresh) => refreshWithinTimeout(refresh)));
  return metricsRegistry.metrics();
}

async function refreshWithinTimeout(refresh: Refresh): Promise<void> {
  try {
    await withTimeout(refresh(), SCRAPE_REFRESH_TIMEOUT_MS, 'no answer');
  } catch (error) {
    Logger.debug(`a metric was not refreshed: ${(error as Error).message}`, 'Metrics');
  }
}

let processMetricsStarted = false;

/** Memory, CPU, event-loop delay and the like, labelled with the app's name; once per process. */
export function collectProcessMetrics(service: string): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}
