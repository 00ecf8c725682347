import { randomBytes } from 'node:crypto';
import { api, eventually } from '../support/api';
import { stack } from '../support/stack';
import { signUpCustomer } from '../support/users';
import { createPet } from '../store/store-fixtures';

/** A span as Zipkin's v2 API returns it (names lower-cased by Zipkin). */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  localEndpoint?: { serviceName?: string };
}

const TRACE_TIMEOUT_MS = 60_000;

async function traceOf(traceId: string): Promise<ZipkinSpan[]> {
  const response = await fetch(`${stack.zipkinUrl}/api/v2/trace/${traceId}`);
  return response.status === 200 ? ((await response.json()) as ZipkinSpan[]) : [];
}

function spansOf(spans: ZipkinSpan[], service: string, matches: (span: ZipkinSpan) => boolean): ZipkinSpan[] {
  return spans.filter((span) => span.localEndpoint?.serviceName === service && matches(span));
}

describe('a placeOrder traced across the system', () => {
  it('is one trace in Zipkin: the gateway, order-service, pet-service reserving, the relay publishing, and the consumers in order-service and inventory-service', async () => {
    const [customer, pet] = await Promise.all([signUpCustomer('traced'), createPet('traced-pet')]);
    // The client starts the trace, as a browser or an upstream service with tracing would.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');

    const placed = await api('POST', '/api/v3/store/order', {
      token: customer.token,
      json: { petId: pet.id, quantity: 1 },
      headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
    });
    // 202: placed, its confirmation still on its way through Kafka; the trace is the same.
    expect([200, 202]).toContain(placed.status);

    const expected = {
      'the gateway answering the client': (spans: ZipkinSpan[]) => spansOf(spans, 'api-gateway', (span) => span.kind === 'SERVER'),
      'order-service answering the gateway': (spans: ZipkinSpan[]) => spansOf(spans, 'order-service', (span) => span.kind === 'SERVER'),
      "pet-service's reservation": (spans: ZipkinSpan[]) => spansOf(spans, 'pet-service', (span) => span.name.includes('reserv')),
      'the relay publishing PET_RESERVED': (spans: ZipkinSpan[]) =>
        spansOf(spans, 'pet-service', (span) => span.kind === 'PRODUCER' && span.name === 'send pet-events'),
      "order-service's PET_RESERVED handling": (spans: ZipkinSpan[]) =>
        spansOf(spans, 'order-service', (span) => span.name === 'handle pet_reserved'),
      "inventory-service's update": (spans: ZipkinSpan[]) =>
        spansOf(spans, 'inventory-service', (span) => span.name === 'handle pet_reserved' || span.name === 'handle order_placed'),
    };

    const spans = await eventually(
      async () => {
        const found = await traceOf(traceId);
        return Object.values(expected).every((spansFor) => spansFor(found).length > 0) ? found : undefined;
      },
      TRACE_TIMEOUT_MS,
      `trace ${traceId} in Zipkin with ${Object.keys(expected).join(', ')}`,
    );

    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceId]));
    // One tree: every span hangs off another span of the trace, or off the client's.
    const ids = new Set([clientSpanId, ...spans.map((span) => span.id)]);
    expect(spans.filter((span) => !span.parentId || !ids.has(span.parentId))).toEqual([]);
    // The consumers continue the publish: their spans descend from the relay's send span.
    const byId = new Map(spans.map((span) => [span.id, span]));
    const ancestors = (span: ZipkinSpan): ZipkinSpan[] => {
      const parent = span.parentId ? byId.get(span.parentId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };
    const [handled] = expected["order-service's PET_RESERVED handling"](spans);
    expect(ancestors(handled).some((span) => span.kind === 'PRODUCER' && span.localEndpoint?.serviceName === 'pet-service')).toBe(true);
  });
});
