import type { NodeSDK } from '@opentelemetry/sdk-node';
import { withTimeout } from '../with-timeout';
import { TracingConfig, tracingConfig } from './tracing.config';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry for one app when an exporter endpoint is configured; otherwise starts
 * nothing, so no module is patched, no span is made, and the SDK is not even loaded (it and its
 * instrumentations hold about 30 MB per process). It must run before the app loads http,
 * Fastify, Nest's core, pg or kafkajs (each app's main.ts imports its tracing.ts second, after
 * only the entry point that loads @nestjs/common), because the instrumentations patch those
 * modules as they are loaded.
 *
 * Only work that belongs to a traced request or event is recorded: the outbox relay's polling,
 * health probes and scrapes, which have no parent, make no spans.
 */
export function startTracing(service: string, config: TracingConfig = tracingConfig.read()): boolean {
  if (!config.otlpEndpoint && !config.zipkinEndpoint) return false;
  // Required here, not imported at the top, so that an untraced app never loads the SDK.
  const { startSdk } = require('./tracing-sdk') as typeof import('./tracing-sdk');
  sdk = startSdk(service, { otlp: config.otlpEndpoint, zipkin: config.zipkinEndpoint });
  return true;
}

/**
 * How long a stop waits for the trace collector to take the last spans. The Zipkin exporter's
 * request has no timeout of its own, so a collector that accepts it and never answers, or goes
 * away mid-answer, would keep the app from ever exiting.
 */
export const TRACING_FLUSH_TIMEOUT_MS = 2000;

/** Sends the spans still buffered, so the last requests before a shutdown are not lost; gives up after `timeoutMs`. */
export async function stopTracing(timeoutMs = TRACING_FLUSH_TIMEOUT_MS): Promise<void> {
  const stopping = sdk;
  sdk = undefined;
  if (stopping) await withTimeout(stopping.shutdown(), timeoutMs, 'the trace collector did not take them');
}
