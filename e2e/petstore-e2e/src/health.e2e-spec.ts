import { SERVICE_NAMES } from '@petstore/platform';
import { api } from './support/api';
import { stack } from './support/stack';

describe('the running system', () => {
  it('reports every service healthy behind the gateway', async () => {
    const response = await api<{ status: string; details: { services: Record<string, string> } }>('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('ok');
    const { status, ...services } = response.body.details.services;
    expect(status).toBe('up');
    expect(services).toEqual(
      Object.fromEntries(SERVICE_NAMES.filter((name) => name !== 'api-gateway').map((name) => [name, 'up'])),
    );
  });

  it.each(SERVICE_NAMES.filter((name) => name !== 'api-gateway'))('%s reports its database and Kafka up', async (service) => {
    const response = await fetch(`${stack.urlOf(service)}/health`);
    const body = (await response.json()) as { details: Record<string, { status: string }> };
    expect(response.status).toBe(200);
    expect(body.details['database']?.status).toBe('up');
    expect(body.details['kafka']?.status).toBe('up');
  });

  it('serves the Swagger document', async () => {
    const response = await api<{ openapi: string; info: { title: string } }>('GET', '/docs-json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
  });
});
