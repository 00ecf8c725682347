import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GATEWAY_URL } from '../../support/environment';
import type { Connect, PetstoreClient } from './petstore-scenario';

const REPO_ROOT = resolve(__dirname, '../../../../..');

/** Where these specs keep what they produce: documents, generated clients, screenshots (git-ignored). */
export const TEST_OUTPUT = join(REPO_ROOT, '.cache/e2e/docs');

const { petstoreContractPath } = require('../../../../../tools/petstore-contract/petstore-contract.js') as {
  petstoreContractPath(): Promise<string>;
};

/** The Petstore's own OpenAPI document: beside the repository as the team keeps it, else its pinned version fetched. */
export function officialDocumentPath(): Promise<string> {
  return petstoreContractPath();
}

export interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, { example?: unknown }>; headers?: Record<string, unknown> }>;
}

/** The gateway's document as /docs-json serves it, also saved under the test output for the tools. */
export async function fetchGatewayDocument(): Promise<{ path: string; document: OpenApiDocument }> {
  const response = await fetch(`${GATEWAY_URL}/docs-json`);
  if (!response.ok) throw new Error(`GET /docs-json answered ${response.status}`);
  const document = (await response.json()) as OpenApiDocument;
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const path = join(TEST_OUTPUT, 'gateway-openapi.json');
  writeFileSync(path, JSON.stringify(document, null, 2));
  return { path, document };
}

interface RunResult {
  status: number | null;
  stdout: string;
  /** stdout and stderr, for failure messages. */
  output: string;
}

function run(command: string, args: string[]): RunResult {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout ?? '', output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}` };
}

/** OpenAPI Generator's `validate` (tools/openapi/generate.sh). */
export function validateWithOpenApiGenerator(documentPath: string) {
  return run('bash', ['tools/openapi/generate.sh', 'validate', documentPath]);
}

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
}

/** Redocly's lint with the repository's redocly.yaml: the problems it reports, with its output for failure messages. */
export function lintWithRedocly(documentPath: string): { status: number | null; problems: LintProblem[]; output: string } {
  const lint = run(join(REPO_ROOT, 'node_modules/.bin/redocly'), ['lint', documentPath, '--format=json']);
  const report = JSON.parse(lint.stdout || '{"problems": []}') as { problems: LintProblem[] };
  return {
    status: lint.status,
    problems: report.problems.map(({ ruleId, severity, message }) => ({ ruleId, severity, message })),
    output: lint.output,
  };
}

/** The official document (YAML) as an object, bundled to JSON by Redocly. */
export async function readOfficialDocument(): Promise<OpenApiDocument> {
  const path = join(TEST_OUTPUT, 'official-openapi.json');
  mkdirSync(TEST_OUTPUT, { recursive: true });
  const bundled = run(join(REPO_ROOT, 'node_modules/.bin/redocly'), ['bundle', await officialDocumentPath(), '--output', path]);
  if (bundled.status !== 0) throw new Error(`redocly bundle failed:\n${bundled.output}`);
  return JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument;
}

/** Generates a typescript-fetch client from a document into the test output; answers its directory. */
export function generateClient(documentPath: string, name: string): string {
  const directory = join(TEST_OUTPUT, 'clients', name);
  const generated = run('bash', ['tools/openapi/generate.sh', 'client', documentPath, directory]);
  if (generated.status !== 0) throw new Error(`generating the ${name} client failed:\n${generated.output}`);
  return directory;
}

/** Every operation of a document by its operationId. */
export function operationsOf(document: OpenApiDocument): Map<string, OpenApiOperation> {
  return new Map(
    Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .map((operation) => [operation.operationId, operation]),
  );
}

interface GeneratedClientModule {
  Configuration: new (parameters: {
    basePath: string;
    headers?: Record<string, string>;
    middleware: { post(context: { url: string; init: { method?: string }; response: Response }): Promise<void> }[];
  }) => unknown;
  PetApi: new (configuration: unknown) => object;
  StoreApi: new (configuration: unknown) => object;
  UserApi: new (configuration: unknown) => object;
}

/** What a scenario did through a generated client. */
export interface ClientRecord {
  /** The operations called. */
  operations: Set<string>;
  /** Every null in a JSON answer, as "METHOD url: path" (the contract declares no field nullable). */
  nullsAnswered: string[];
}

function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value as object).flatMap(([key, item]) => nullPaths(item, `${path}.${key}`));
}

/**
 * Connects a generated typescript-fetch client to the gateway. The token goes in a header on every
 * call, as a user of the official document's client sends it (that document declares OAuth and an
 * api_key, not the bearer token). What the calls do is added to `record`.
 */
export function connectGeneratedClient(directory: string, record: ClientRecord): Connect {
  // Loaded at run time: the client exists only once generated.
  const generated = require(directory) as GeneratedClientModule;
  const recording = <T extends object>(api: T): T =>
    new Proxy(api, {
      get(target, name) {
        const value = Reflect.get(target, name);
        if (typeof value !== 'function') return value;
        record.operations.add(String(name));
        return value.bind(target);
      },
    });
  const recordNulls = {
    async post({ url, init, response }: { url: string; init: { method?: string }; response: Response }) {
      if (!(response.headers.get('content-type') ?? '').includes('json')) return;
      const answer: unknown = await response.clone().json();
      record.nullsAnswered.push(...nullPaths(answer).map((path) => `${init.method ?? 'GET'} ${url}: ${path}`));
    },
  };
  return (token) => {
    const configuration = new generated.Configuration({
      basePath: `${GATEWAY_URL}/api/v3`,
      headers: token ? { Authorization: `Bearer ${token}` } : undefined,
      middleware: [recordNulls],
    });
    return {
      pet: recording(new generated.PetApi(configuration)),
      store: recording(new generated.StoreApi(configuration)),
      user: recording(new generated.UserApi(configuration)),
    } as PetstoreClient;
  };
}
