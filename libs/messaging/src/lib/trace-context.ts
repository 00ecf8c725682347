import { context, Context, propagation, ROOT_CONTEXT, TextMapGetter } from '@opentelemetry/api';

/** The W3C Trace Context header, as kafkajs' and the HTTP instrumentations write and read it. */
export const TRACEPARENT_HEADER = 'traceparent';

/**
 * The trace context of the request or event being handled, to be stored with an event it causes;
 * null when nothing is traced (tracing off), so untraced rows cost one empty column.
 */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT_HEADER] ?? null;
}

/** The context to publish a stored event under, so its publish span joins the trace that caused it. */
export function storedTraceContext(traceparent: string | null): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT_HEADER]: traceparent }) : ROOT_CONTEXT;
}

type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Reads Kafka headers, which arrive as Buffers from kafkajs and as strings once Nest has parsed them. */
export const kafkaHeaderGetter: TextMapGetter<KafkaHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.map(String) : String(value);
  },
};
