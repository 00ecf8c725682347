import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage } from 'node:http';
import { TracingConfig, tracingConfig } from './tracing.config';

/** Polled by the stack tool, load balancers and Prometheus: a trace each would bury the requests. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

let sdk: NodeSDK | undefined;

function exporterFor(config: TracingConfig): SpanExporter | undefined {
  if (config.otlpEndpoint) return new OTLPTraceExporter({ url: config.otlpEndpoint });
  if (config.zipkinEndpoint) return new ZipkinExporter({ url: config.zipkinEndpoint });
  return undefined;
}

/**
 * Starts OpenTelemetry for one app when an exporter endpoint is configured; otherwise starts
 * nothing, so no module is patched and no span is made. It must run before the app loads http,
 * express, Nest, pg or kafkajs (each app's main.ts imports its tracing.ts first), because the
 * instrumentations patch those modules as they are loaded.
 *
 * Only work that belongs to a traced request or event is recorded: the outbox relay's polling,
 * health probes and scrapes, which have no parent, make no spans.
 */
export function startTracing(service: string, config: TracingConfig = tracingConfig.read()): boolean {
  const traceExporter = exporterFor(config);
  if (!traceExporter) return false;
  sdk = new NodeSDK({
    serviceName: service,
    traceExporter,
    // Traces only: metrics are prom-client's (GET /metrics) and logs pino's. Left unset, the SDK
    // would also push metrics and logs over OTLP to a collector on localhost.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // The shared middleware (body parsers, correlation ids…) runs on every request alike: a span each is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return true;
}

/** Sends the spans still buffered, so the last requests before a shutdown are not lost. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
}
