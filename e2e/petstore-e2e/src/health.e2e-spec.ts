import { SERVICE_NAMES, ServiceName } from '@petstore/platform';
import { api } from './support/api';
import { stack } from './support/stack';

const EVENT_SERVICES: ServiceName[] = ['pet-service', 'photo-service', 'order-service', 'inventory-service'];

async function healthOf(service: ServiceName): Promise<{ status: number; details: Record<string, { status: string }> }> {
  const response = await fetch(`${stack.urlOf(service)}/health`);
  const body = (await response.json()) as { details: Record<string, { status: string }> };
  return { status: response.status, details: body.details };
}

describe('the running system', () => {
  it('reports every service healthy behind the gateway', async () => {
    const response = await api<{ status: string; details: { services: Record<string, string> } }>('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
    const { status, ...services } = response.body.details.services;
    expect(status).toBe('up');
    expect(services).toEqual(Object.fromEntries(SERVICE_NAMES.filter((name) => name !== 'api-gateway').map((name) => [name, 'up'])));
  });

  it.each(EVENT_SERVICES)('%s reports its database and Kafka up', async (service) => {
    const { status, details } = await healthOf(service);
    expect(status).toBe(200);
    expect(details['database']?.status).toBe('up');
    expect(details['kafka']?.status).toBe('up');
  });

  it('user-service, which neither publishes nor consumes events, reports its database up and does not probe Kafka', async () => {
    const { status, details } = await healthOf('user-service');
    expect(status).toBe(200);
    expect(details['database']?.status).toBe('up');
    expect(details).not.toHaveProperty('kafka');
  });

  it('serves the Swagger document', async () => {
    const response = await api<{ openapi: string; info: { title: string } }>('GET', '/docs-json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
  });
});
