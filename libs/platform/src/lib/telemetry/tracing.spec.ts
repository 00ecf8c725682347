import { trace } from '@opentelemetry/api';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing, stopTracing } from './tracing';

// Each test's SDK registers the global tracer provider anew: a stopped one stays registered otherwise.
afterEach(async () => {
  await stopTracing();
  trace.disable();
});

describe('startTracing', () => {
  it('starts nothing when no exporter endpoint is configured, so spans are never made', () => {
    expect(startTracing('pet-service', { zipkinEndpoint: undefined, otlpEndpoint: undefined })).toBe(false);
    expect(trace.getTracer('test').startSpan('work').isRecording()).toBe(false);
  });

  it('records spans once an endpoint is configured', () => {
    expect(startTracing('pet-service', { zipkinEndpoint: 'http://127.0.0.1:1/api/v2/spans', otlpEndpoint: undefined })).toBe(true);
    expect(trace.getTracer('test').startSpan('work').isRecording()).toBe(true);
  });
});

describe('stopTracing', () => {
  it('gives up on the last spans when the trace collector takes them and never answers, so the app can exit', async () => {
    const collector = createServer(() => undefined);
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const received = new Promise<void>((resolve) => collector.once('request', () => resolve()));
    try {
      const { port } = collector.address() as AddressInfo;
      startTracing('pet-service', { zipkinEndpoint: `http://127.0.0.1:${port}/api/v2/spans`, otlpEndpoint: undefined });
      trace.getTracer('test').startSpan('work').end();
      const stopped = stopTracing(200);
      await received;
      await expect(stopped).rejects.toThrow('the trace collector did not take them within 200 ms');
    } finally {
      collector.closeAllConnections();
      collector.close();
    }
  });
});
