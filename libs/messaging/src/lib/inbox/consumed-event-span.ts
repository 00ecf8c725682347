import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { KafkaContext } from '@nestjs/microservices';
import { kafkaHeaderGetter } from '../trace-context';

const tracer = trace.getTracer('@petstore/messaging');

/**
 * Runs the handling of one consumed event in a span of the trace that published it. kafkajs'
 * instrumentation already continues that trace from the message's traceparent header; where it
 * has not (a consumer it does not wrap), the header is read here.
 */
export function withConsumedEventSpan<T extends string>(kafka: KafkaContext, handle: () => Promise<T>): Promise<T> {
  const message = kafka.getMessage();
  const headers = message.headers ?? {};
  const eventType = kafkaHeaderGetter.get(headers, 'event-type') ?? 'event';
  const parent = trace.getSpan(context.active()) ? context.active() : propagation.extract(context.active(), headers, kafkaHeaderGetter);
  const attributes = {
    'messaging.system': 'kafka',
    'messaging.destination.name': kafka.getTopic(),
    'messaging.destination.partition.id': String(kafka.getPartition()),
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
