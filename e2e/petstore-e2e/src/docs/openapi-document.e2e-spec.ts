import {
  fetchGatewayDocument,
  lintWithRedocly,
  OpenApiDocument,
  operationsOf,
  readOfficialDocument,
  validateWithOpenApiGenerator,
} from './support/openapi-tools';

describe('the OpenAPI document at /docs-json', () => {
  let path: string;
  let document: OpenApiDocument;
  let official: OpenApiDocument;

  beforeAll(async () => {
    ({ path, document } = await fetchGatewayDocument());
    official = await readOfficialDocument();
  });

  it('passes OpenAPI Generator’s validation', () => {
    const validation = validateWithOpenApiGenerator(path);
    expect({ status: validation.status, output: validation.output }).toEqual({ status: 0, output: expect.stringContaining('No validation issues') });
  });

  it('passes Redocly’s lint with no errors or warnings', () => {
    const lint = lintWithRedocly(path);
    expect(lint.problems).toEqual([]);
    expect({ status: lint.status, output: lint.output }).toEqual({ status: 0, output: expect.any(String) });
  });

  it('serves the contract’s paths relative to the same /api/v3 server', () => {
    expect(document.servers).toEqual([{ url: '/api/v3' }]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(Object.keys(official.paths)));
  });

  it('has every operation of the contract under its operation id, with the contract’s parameter names; any other is optional', () => {
    const served = operationsOf(document);
    type Parameter = { name: string; in: string; required?: boolean };
    const nameOf = (parameter: Parameter) => `${parameter.in} ${parameter.name}`;
    const parametersOf = (operation: { parameters?: Parameter[] } | undefined) => operation?.parameters ?? [];
    for (const [operationId, operation] of operationsOf(official)) {
      const contract = parametersOf(operation).map(nameOf).sort();
      const ours = parametersOf(served.get(operationId));
      const extensions = ours.filter((parameter) => !contract.includes(nameOf(parameter)));
      const requiredExtensions = extensions.filter((parameter) => parameter.required).map(nameOf);
      const kept = ours
        .map(nameOf)
        .filter((name) => contract.includes(name))
        .sort();
      expect({ operationId, parameters: kept, requiredExtensions }).toEqual({ operationId, parameters: contract, requiredExtensions: [] });
    }
  });

  it('gives every error response its own example: the body answered with that status', () => {
    const examples = [...operationsOf(document)].flatMap(([operationId, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => ({ operationId, status: Number(status), example: response.content?.['application/json']?.example })),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const { operationId, status, example } of examples) {
      expect({ operationId, status, example }).toEqual({
        operationId,
        status,
        example: { statusCode: status, error: expect.any(String), message: expect.any(String) },
      });
    }
  });

  it('tells of the per-client request limit on every operation: 429 with Retry-After', () => {
    const operations = [...operationsOf(document)];
    expect(operations.length).toBeGreaterThan(0);
    const withoutIt = operations.filter(([, operation]) => !operation.responses['429']?.headers?.['Retry-After']).map(([operationId]) => operationId);
    expect(withoutIt).toEqual([]);
  });
});
