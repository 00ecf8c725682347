import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage } from 'node:http';
import { MANAGEMENT_PATHS } from '../management-paths';

/** Polled over and over: a trace each would bury the requests. */
const UNTRACED_PATHS = new Set(MANAGEMENT_PATHS);

/** The OpenTelemetry SDK with this project's instrumentations, started, exporting to `endpoint`. */
export function startSdk(service: string, endpoint: { otlp?: string; zipkin?: string }): NodeSDK {
  const traceExporter: SpanExporter = endpoint.otlp ? new OTLPTraceExporter({ url: endpoint.otlp }) : new ZipkinExporter({ url: endpoint.zipkin });
  const sdk = new NodeSDK({
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
      new NestInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
