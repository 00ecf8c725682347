import { DynamicModule, HttpStatus, Inject, Module, Provider, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthenticatedUser } from '@petstore/dto';
import { CORRELATION_ID_HEADER, currentCorrelationId } from './correlation';
import { errorBody, ServiceErrorException } from './errors';
import { ServiceName, urlVariableOf } from './service-catalog';
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

/** The callee's answer: its status and headers, and its body as the callee's DTO. */
export interface ServiceAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const SERVICE_TIMEOUT_VARIABLE = 'SERVICE_CALL_TIMEOUT_MS';

/**
 * A synchronous call to another service: always with a timeout and, given this service's
 * identity, a token signed for that callee; an unreachable or slow callee is a 503 naming it, and
 * the callee's own 4xx/5xx answers are thrown with their status and message, so they reach the
 * client unchanged.
 */
export class ServiceClient {
  constructor(
    readonly service: ServiceName,
    private readonly baseUrl: string,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly identity?: ServiceIdentity,
  ) {}

  /** The answer with its JSON body (undefined when empty). */
  async call<T>(request: ServiceRequest): Promise<ServiceAnswer<T>> {
    const response = await this.fetch(request);
    const text = await response.text();
    const body = text ? parseJson(text) : undefined;
    if (response.status >= 400) throw this.errorOf(response, body);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /** Just the JSON body, for the many calls whose status and headers say nothing more. */
  async json<T>(request: ServiceRequest): Promise<T> {
    return (await this.call<T>(request)).body;
  }

  /** The answer with its body as bytes, for what is not JSON (a photo). */
  async bytes(request: ServiceRequest): Promise<ServiceAnswer<Buffer>> {
    const response = await this.fetch(request);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status >= 400) throw this.errorOf(response, parseJson(bytes.toString()));
    return { status: response.status, headers: response.headers, body: bytes };
  }

  private async fetch(request: ServiceRequest): Promise<Response> {
    const url = new URL(request.path, this.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of [value ?? []].flat()) url.searchParams.append(key, item);
    }
    const headers: Record<string, string> = { [CORRELATION_ID_HEADER]: currentCorrelationId() };
    for (const [key, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[key] = value;
    }
    if (this.identity) headers['authorization'] = `Bearer ${this.identity.tokenFor(this.service, request.onBehalfOf)}`;
    let body: BodyInit | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      body = new Uint8Array(request.body);
    }
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    try {
      return await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : 'is unreachable';
      const consequence = request.whenUnavailable ? ` (${request.whenUnavailable})` : '';
      throw new ServiceUnavailableException(errorBody(HttpStatus.SERVICE_UNAVAILABLE, `${this.service} ${reason}; try again later${consequence}`));
    }
  }

  private errorOf(response: Response, body: unknown): ServiceErrorException {
    const message = (body as { message?: string | string[] } | undefined)?.message ?? `${this.service} answered ${response.status}`;
    return new ServiceErrorException(this.service, response.status, message, response.headers.get('retry-after'));
  }
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
 * Provides a ServiceClient per dependency, at the URL its `<SERVICE>_URL` variable names, as
 * dependencyEnvironment validated and defaulted it, signing with the global ServiceIdentity.
 */
@Module({})
export class ServiceClientModule {
  static register(...dependencies: ServiceName[]): DynamicModule {
    const providers: Provider[] = dependencies.map((service) => ({
      provide: serviceClientToken(service),
      inject: [ConfigService, ServiceIdentity],
      useFactory: (config: ConfigService, identity: ServiceIdentity) =>
        new ServiceClient(
          service,
          config.getOrThrow<string>(urlVariableOf(service)),
          config.getOrThrow<number>(SERVICE_TIMEOUT_VARIABLE),
          identity,
        ),
    }));
    return { module: ServiceClientModule, providers, exports: providers };
  }
}
