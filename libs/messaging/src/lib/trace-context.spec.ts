import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { currentTraceparent, kafkaHeaderGetter, storedTraceContext } from './trace-context';
import { disableTracing, enableTracing } from './tracing-on.fixture';

const request = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
const TRACEPARENT = `00-${request.traceId}-${request.spanId}-01`;

describe('trace context carried with an event', () => {
  it('is absent while tracing is off, so nothing is stored or sent', () => {
    expect(currentTraceparent()).toBeNull();
  });

  describe('with tracing on', () => {
    beforeAll(enableTracing);
    afterAll(disableTracing);

    it('is the traceparent of the request being handled', () => {
      const traced = trace.setSpanContext(ROOT_CONTEXT, request);
      expect(context.with(traced, currentTraceparent)).toBe(TRACEPARENT);
      expect(currentTraceparent()).toBeNull();
    });

    it('restores the stored request as the parent of what is published', () => {
      expect(trace.getSpanContext(storedTraceContext(TRACEPARENT))).toMatchObject({ traceId: request.traceId, spanId: request.spanId });
      expect(trace.getSpanContext(storedTraceContext(null))).toBeUndefined();
    });

    it('reads Kafka headers whether they arrive as bytes or text', () => {
      const fromBytes = propagation.extract(ROOT_CONTEXT, { traceparent: Buffer.from(TRACEPARENT) }, kafkaHeaderGetter);
      const fromText = propagation.extract(ROOT_CONTEXT, { traceparent: TRACEPARENT }, kafkaHeaderGetter);
      expect(trace.getSpanContext(fromBytes)?.traceId).toBe(request.traceId);
      expect(trace.getSpanContext(fromText)?.traceId).toBe(request.traceId);
    });
  });
});
