import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { kafkaHeaderGetter } from '../trace-context';

const tracer = trace.getTracer('@petstore/messaging');

/**
 * Runs the handling of one consumed event in a span of the trace that published it, continued
 * from the message's traceparent header: consumers take whole batches, so the span kafkajs'
 * instrumentation has active then is the batch's, in a trace of its own.
 */
export function withConsumedEventSpan<T extends string>(
  topic: string,
  partition: number,
  message: KafkaMessage,
  handle: () => Promise<T>,
): Promise<T> {
  const headers = message.headers ?? {};
  const eventType = kafkaHeaderGetter.get(headers, 'event-type') ?? 'event';
  const parent = propagation.extract(context.active(), headers, kafkaHeaderGetter);
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.offset': Number(message.offset),
    'petstore.event.type': String(eventType),
  };
  return tracer.startActiveSpan(`handle ${eventType}`, { kind: SpanKind.INTERNAL, attributes }, parent, async (span) => {
    try {
      const outcome = await handle();
      span.setAttribute('petstore.event.outcome', outcome);
      return outcome;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
