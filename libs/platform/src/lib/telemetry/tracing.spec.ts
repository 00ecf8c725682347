import { trace } from '@opentelemetry/api';
import { startTracing, stopTracing } from './tracing';

describe('startTracing', () => {
  afterEach(() => stopTracing());

  it('starts nothing when no exporter endpoint is configured, so spans are never made', () => {
    expect(startTracing('pet-service', { zipkinEndpoint: undefined, otlpEndpoint: undefined })).toBe(false);
    expect(trace.getTracer('test').startSpan('work').isRecording()).toBe(false);
  });

  it('records spans once an endpoint is configured', () => {
    expect(startTracing('pet-service', { zipkinEndpoint: 'http://127.0.0.1:1/api/v2/spans', otlpEndpoint: undefined })).toBe(true);
    expect(trace.getTracer('test').startSpan('work').isRecording()).toBe(true);
  });
});
