import { Context, context, propagation, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { kafkaHeaderGetter } from '../trace-context';

const tracer = trace.getTracer('@petstore/messaging');

/** The span attribute naming what became of the event: a ConsumeOutcome, or ROLLED_BACK. */
export const EVENT_OUTCOME_ATTRIBUTE = 'petstore.event.outcome';

/** The outcome of an event whose transaction (a batch's) rolled back: it is handled again, in a span of its own. */
export const ROLLED_BACK = 'rolled-back';

/**
 * The span of one consumed event's handling, in the trace that published it, continued from the
 * message's traceparent header: consumers take whole batches, so the span kafkajs'
 * instrumentation has active then is the batch's, in a trace of its own.
 *
 * It stays open until what the handling wrote has committed or rolled back, so an event of a
 * batch whose transaction rolled back is not left in its trace as applied.
 */
export class ConsumedEventSpan {
  private readonly span: Span;
  private readonly active: Context;

  constructor(topic: string, partition: number, message: KafkaMessage) {
    const headers = message.headers ?? {};
    const eventType = kafkaHeaderGetter.get(headers, 'event-type') ?? 'event';
    const parent = propagation.extract(context.active(), headers, kafkaHeaderGetter);
    this.span = tracer.startSpan(
      `handle ${eventType}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'petstore.event.type': String(eventType),
        },
      },
      parent,
    );
    this.active = trace.setSpan(parent, this.span);
  }

  /** Runs the handling with this span active; a failure is recorded on it and passed on. */
  async run<T>(handle: () => Promise<T>): Promise<T> {
    try {
      return await context.with(this.active, handle);
    } catch (error) {
      this.span.recordException(error as Error);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    }
  }

  /** What the handling wrote, if anything, has committed: the span ends with its outcome. */
  settled(outcome: string): void {
    this.span.setAttribute(EVENT_OUTCOME_ATTRIBUTE, outcome);
    this.span.end();
  }

  /** Nothing the handling wrote committed, because of `error` (this event's, or another's in its batch). */
  rolledBack(error: unknown): void {
    this.span.setAttribute(EVENT_OUTCOME_ATTRIBUTE, ROLLED_BACK);
    this.span.addEvent('transaction rolled back', { 'exception.message': (error as Error)?.message ?? String(error) });
    this.span.end();
  }
}
