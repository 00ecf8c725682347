import { DynamicModule, HttpStatus, Inject, Module, OnApplicationShutdown, Provider, ServiceUnavailableException } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { AuthenticatedUser } from '@petstore/dto';
import Joi from 'joi';
import type { IncomingHttpHeaders } from 'node:http';
import { Dispatcher, Pool } from 'undici';
import { configNamespace, variable, Variable } from './config-namespace';
import { CORRELATION_ID_HEADER, currentCorrelationId } from './correlation';
import { errorBody, ServiceErrorException } from './errors';
import { SERVICE_NAMES, ServiceName, urlOf, urlVariableOf } from './service-catalog';
import { ServiceIdentity } from './service-auth/service-identity';

export interface ServiceRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | string[] | undefined>;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string | undefined>;
  /** The user this call is made for, as this service verified them; the callee reads it from the call's token. */
  onBehalfOf?: AuthenticatedUser;
  timeoutMs?: number;
  /** What did not happen when the callee cannot answer, added to the 503's message for the client. */
  whenUnavailable?: string;
}

/** The callee's answer: its status and headers (names in lower case), and its body as the callee's DTO. */
export interface ServiceAnswer<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

const DEFAULT_TIMEOUT_MS = 5000;

const serviceUrlVariables = Object.fromEntries(
  SERVICE_NAMES.map((service) => [
    service,
    variable(
      urlVariableOf(service),
      Joi.string()
        .uri({ scheme: ['http', 'https'] })
        .default(urlOf(service, {})),
    ),
  ]),
) as Record<ServiceName, Variable<string>>;

/** Where each service is (`<SERVICE>_URL`) and how long a call to one may take. */
export const serviceCallsConfig = configNamespace('serviceCalls', {
  timeoutMs: variable('SERVICE_CALL_TIMEOUT_MS', Joi.number().integer().min(1).default(DEFAULT_TIMEOUT_MS)),
  ...serviceUrlVariables,
});

export type ServiceCallsConfig = ConfigType<typeof serviceCallsConfig>;

const TIMEOUT_ERROR_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A 503 for a called service that did not answer within the call's timeout (hung, or too busy), rather than one that refused or dropped the connection. */
export class ServiceUnansweredException extends ServiceUnavailableException {}

/**
 * A synchronous call to another service over a keep-alive connection pool: always with a
 * timeout and, given this service's identity, a token signed for that callee; an unreachable or
 * slow callee is a 503 naming it, and the callee's own 4xx/5xx answers are thrown with their
 * status and message, so they reach the client unchanged. The timeout bounds connecting, the
 * wait for the answer's headers, and each wait for more of its body.
 */
export class ServiceClient implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    readonly service: ServiceName,
    baseUrl: string,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly identity?: ServiceIdentity,
  ) {
    this.pool = new Pool(baseUrl, { connect: { timeout: defaultTimeoutMs } });
  }

  /** The answer with its JSON body (undefined when empty). */
  async call<T>(request: ServiceRequest): Promise<ServiceAnswer<T>> {
    const { status, headers, body: bytes } = await this.send(request);
    const body = bytes.length > 0 ? parseJson(bytes.toString()) : undefined;
    if (status >= 400) throw this.errorOf(status, headers, body);
    return { status, headers, body: body as T };
  }

  /** Just the JSON body, for the many calls whose status and headers say nothing more. */
  async json<T>(request: ServiceRequest): Promise<T> {
    return (await this.call<T>(request)).body;
  }

  /** The answer with its body as bytes, for what is not JSON (a photo). */
  async bytes(request: ServiceRequest): Promise<ServiceAnswer<Buffer>> {
    const answer = await this.send(request);
    if (answer.status >= 400) throw this.errorOf(answer.status, answer.headers, parseJson(answer.body.toString()));
    return answer;
  }

  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }

  private async send(request: ServiceRequest): Promise<ServiceAnswer<Buffer>> {
    const headers: Record<string, string> = { [CORRELATION_ID_HEADER]: currentCorrelationId() };
    for (const [key, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[key] = value;
    }
    if (this.identity) headers['authorization'] = `Bearer ${this.identity.tokenFor(this.service, request.onBehalfOf)}`;
    let body: string | Buffer | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      body = request.body;
    }
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    try {
      return await exchange(this.pool, {
        method: request.method ?? 'GET',
        path: pathWithQuery(request.path, request.query),
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      const unanswered = TIMEOUT_ERROR_CODES.has((error as { code?: string }).code ?? '');
      const reason = unanswered ? `did not answer within ${timeoutMs} ms` : 'is unreachable';
      const consequence = request.whenUnavailable ? ` (${request.whenUnavailable})` : '';
      const body = errorBody(HttpStatus.SERVICE_UNAVAILABLE, `${this.service} ${reason}; try again later${consequence}`);
      throw unanswered ? new ServiceUnansweredException(body) : new ServiceUnavailableException(body);
    }
  }

  private errorOf(status: number, headers: IncomingHttpHeaders, body: unknown): ServiceErrorException {
    const message = (body as { message?: string | string[] } | undefined)?.message ?? `${this.service} answered ${status}`;
    return new ServiceErrorException(this.service, status, message, headerOf(headers, 'retry-after') ?? null);
  }
}

/**
 * One request and its whole answer. undici's `request` would hand the body over as a stream, to
 * be read back through promises: on a pet read through the gateway that machinery cost more of
 * the gateway's CPU than collecting the chunks as they arrive (docs/performance.md).
 */
function exchange(pool: Pool, options: Dispatcher.DispatchOptions): Promise<ServiceAnswer<Buffer>> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] = [];
    pool.dispatch(options, {
      // Called again when undici sends the request again; undici takes a handler for its current API only when it has this method.
      onRequestStart() {
        chunks = [];
      },
      // Called again after a 1xx informational answer: the final one is what counts.
      onResponseStart(_controller, statusCode, answerHeaders) {
        status = statusCode;
        headers = answerHeaders;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

function pathWithQuery(path: string, query: ServiceRequest['query']): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of [value ?? []].flat()) search.append(key, item);
  }
  const encoded = search.toString();
  return encoded ? `${path}?${encoded}` : path;
}

/** One header of an answer as a single value (the first, when the callee repeated it). */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

export function serviceClientToken(service: ServiceName): string {
  return `ServiceClient:${service}`;
}

export const InjectServiceClient = (service: ServiceName) => Inject(serviceClientToken(service));

/**
 * Provides a ServiceClient per dependency, at the URL serviceCallsConfig gives for it, signing
 * with the global ServiceIdentity.
 */
@Module({})
export class ServiceClientModule {
  static register(...dependencies: ServiceName[]): DynamicModule {
    const providers: Provider[] = dependencies.map((service) => ({
      provide: serviceClientToken(service),
      inject: [serviceCallsConfig.KEY, ServiceIdentity],
      useFactory: (calls: ServiceCallsConfig, identity: ServiceIdentity) => new ServiceClient(service, calls[service], calls.timeoutMs, identity),
    }));
    return { module: ServiceClientModule, imports: [ConfigModule.forFeature(serviceCallsConfig)], providers, exports: providers };
  }
}
