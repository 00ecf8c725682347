import { DynamicModule, HttpException, HttpStatus, Inject, Module, Provider } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { CORRELATION_ID_HEADER, currentCorrelationId } from './correlation';
import { errorBody } from './errors';
import { ServiceName, urlVariableOf } from './service-catalog';

export interface ServiceRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | string[] | undefined>;
  json?: unknown;
  body?: Buffer;
  headers?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const SERVICE_TIMEOUT_VARIABLE = 'SERVICE_CALL_TIMEOUT_MS';

/**
 * A synchronous call to another service: always with a timeout; an unreachable or slow
 * service becomes 503 naming it, and the callee's own 4xx/5xx answers pass through unchanged.
 */
export class ServiceClient {
  constructor(
    readonly service: ServiceName,
    private readonly baseUrl: string,
    private readonly defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** Sends the request and returns the raw response, whatever its status; 503 if unreachable. */
  async send(request: ServiceRequest): Promise<Response> {
    const url = new URL(request.path, this.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of [value ?? []].flat()) url.searchParams.append(key, item);
    }
    const headers: Record<string, string> = { [CORRELATION_ID_HEADER]: currentCorrelationId() };
    for (const [key, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[key] = value;
    }
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
      throw new HttpException(
        errorBody(HttpStatus.SERVICE_UNAVAILABLE, `${this.service} ${reason}; try again later`),
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }

  /** Sends the request and parses the JSON answer; a non-2xx answer is rethrown with its status and body. */
  async json<T>(request: ServiceRequest): Promise<T> {
    const response = await this.send(request);
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const message =
        (parsed as { message?: string | string[] } | undefined)?.message ?? `${this.service} answered ${response.status}`;
      throw new HttpException(errorBody(response.status, message), response.status);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
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

const serviceCallsConfig = registerAs('serviceCalls', () => ({
  timeoutMs: Number(process.env[SERVICE_TIMEOUT_VARIABLE]),
}));

/** Provides a ServiceClient per dependency, each at the URL its `<SERVICE>_URL` variable names. */
@Module({})
export class ServiceClientModule {
  static register(...dependencies: ServiceName[]): DynamicModule {
    const providers: Provider[] = dependencies.map((service) => ({
      provide: serviceClientToken(service),
      inject: [serviceCallsConfig.KEY],
      useFactory: (calls: { timeoutMs: number }) =>
        new ServiceClient(service, process.env[urlVariableOf(service)] as string, calls.timeoutMs),
    }));
    return {
      module: ServiceClientModule,
      imports: [ConfigModule.forFeature(serviceCallsConfig)],
      providers,
      exports: providers,
    };
  }
}
