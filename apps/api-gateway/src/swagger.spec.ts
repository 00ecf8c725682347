import type { OpenAPIObject } from '@nestjs/swagger';
import Fastify from 'fastify';
import { load } from 'js-yaml';
import { serveDocument } from './swagger';

function petstoreDocument(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'Petstore', version: '1.0.27' },
    paths: { '/pet/{petId}': { get: { operationId: 'getPetById', responses: { 200: { description: 'the pet' } } } } },
  };
}

describe('serveDocument', () => {
  const fastify = Fastify();
  const document = petstoreDocument();
  beforeAll(async () => {
    serveDocument(fastify, document);
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it('answers the document as JSON and as YAML', async () => {
    const json = await fastify.inject({ method: 'GET', url: '/docs-json' });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toEqual(petstoreDocument());

    const yaml = await fastify.inject({ method: 'GET', url: '/docs-yaml' });
    expect(yaml.statusCode).toBe(200);
    expect(yaml.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(load(yaml.body)).toEqual(petstoreDocument());
  });

  it('writes each form once, not at every ask', async () => {
    await fastify.inject({ method: 'GET', url: '/docs-yaml' });
    document.info.title = 'changed after it was written';
    expect((await fastify.inject({ method: 'GET', url: '/docs-json' })).json()).toEqual(petstoreDocument());
    expect(load((await fastify.inject({ method: 'GET', url: '/docs-yaml' })).body)).toEqual(petstoreDocument());
  });
});
