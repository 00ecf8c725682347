import { INestApplication, Logger, Type, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createServer, RequestListener, Server } from 'node:http';
import { parseBodies } from './body-parsers';
import { bytesOf, HTTP_CONFIG, httpConfig, HttpConfig } from './config';
import { answerCorrelated } from './correlation';
import { frameworkErrorAsHttp, HttpErrorFilter } from './errors';
import { refuseHostileInput } from './hostile-input';
import { LOGGING_CONFIG, LoggingConfig, serviceLogger } from './logging';
import { timeRequests } from './metrics/http-metrics';
import { answerWithoutSniffing } from './no-sniffing';
import { answerRouterErrors, MAX_PATH_PARAMETER_LENGTH } from './router-errors';
import { ServiceName } from './service-catalog';
import { boundUnreadBodies } from './unread-bodies';
import { answerUnparsedRequests } from './unparsed-requests';
import { withTimeout } from './with-timeout';

/**
 * Nest's ValidationPipe, but a named path or query parameter stays the text the client sent, for
 * its own pipe to judge: Nest turned one declared a number into `+value` first, so ParseIdPipe
 * saw `0x5`, `5e0`, `+5` and ` 5` as 5 (pet 5 was read) and named the converted value in a 400.
 */
class ValidationPipeKeepingParameterText extends ValidationPipe {
  protected override transformPrimitive(value: unknown): unknown {
    return value;
  }
}

/** The same request pipeline for HTTP and for Kafka payloads (apps connect with inheritAppConfig). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipeKeepingParameterText({ whitelist: true, transform: true, forbidUnknownValues: true });
}

export interface ServiceAppOptions {
  /** Whose X-Forwarded-For `request.ip` believes (Fastify's `trustProxy`); nobody's unless given. */
  trustProxy?: FastifyServerOptions['trustProxy'];
}

/**
 * How long a client may take to send a whole request: Node's own default, which Fastify turns
 * off; without it a client trickling a body would hold its connection for good.
 */
const WHOLE_REQUEST_TIMEOUT_MS = 300_000;

/**
 * Clients (undici's fetch, proxies) drop an idle keep-alive connection after about 4 s; a
 * server that closes first at Node's default 5 s races with a request just being sent on it,
 * which the client sees as "other side closed". Outlasting the clients avoids that race.
 */
const IDLE_CONNECTION_TIMEOUT_MS = 65_000;

/** Longer than an idle connection is kept: shorter, the next request on a kept-alive connection could be refused as too slow. */
const HEADERS_TIMEOUT_MS = IDLE_CONNECTION_TIMEOUT_MS + 1_000;

/** Nest answers Fastify's own errors through the error filter; they reach it in this API's words. */
class ServiceFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: Parameters<FastifyInstance['setErrorHandler']>[0]) {
    return super.setErrorHandler(function (this: FastifyInstance, error, request, reply) {
      return handler.call(this, frameworkErrorAsHttp(error) as typeof error, request, reply);
    });
  }
}

/**
 * Creates a service's Nest app on Fastify with the pipeline every app shares: request timing,
 * JSON logs, correlation ids, a body limit answered with 413 (and no more of a refused body read
 * than a bounded allowance), input no field can hold and validation failures answered with 400
 * naming the field, a request HTTP cannot read or route answered naming why, one error shape,
 * and no answer a browser may sniff as another type.
 */
export async function createServiceApp(
  module: Type<unknown>,
  service: ServiceName,
  options: ServiceAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new ServiceFastifyAdapter({
    bodyLimit: bytesOf(httpConfig(service).read().bodyLimit),
    trustProxy: options.trustProxy ?? false,
    requestTimeout: WHOLE_REQUEST_TIMEOUT_MS,
    clientErrorHandler: answerUnparsedRequests({ headersMs: HEADERS_TIMEOUT_MS, wholeRequestMs: WHOLE_REQUEST_TIMEOUT_MS }),
    // `/pet/1/` is `/pet/1`, as it was on Express.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: answerRouterErrors,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bodyParser: false, bufferLogs: true });
  app.useLogger(serviceLogger(service, app.get(ConfigService).getOrThrow<LoggingConfig>(LOGGING_CONFIG)));
  const fastify = app.getHttpAdapter().getInstance();
  answerWithoutSniffing(fastify);
  parseBodies(fastify);
  boundUnreadBodies(fastify);
  timeRequests(fastify);
  answerCorrelated(fastify);
  refuseHostileInput(fastify);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(service));
  app.flushLogs();
  Logger.log(`configured ${service}`, 'Bootstrap');
  return app;
}

function keepIdleConnectionsLongerThanClients(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
}

/** Servers an app serves on besides its own, which a stop drains with it. */
const companionServers = new WeakMap<INestApplication, Server[]>();

/**
 * A second HTTP server of `app`, with the timeouts of its own and a request HTTP cannot read
 * answered the same way, passing every request to `handle`. A stop of the app stops it too: both
 * stop accepting at once, and drain together; `app.close()` alone closes it at once.
 */
export function createCompanionServer(app: NestFastifyApplication, handle: RequestListener): Server {
  const server = createServer({ requestTimeout: WHOLE_REQUEST_TIMEOUT_MS }, handle);
  keepIdleConnectionsLongerThanClients(server);
  server.on('clientError', answerUnparsedRequests({ headersMs: HEADERS_TIMEOUT_MS, wholeRequestMs: WHOLE_REQUEST_TIMEOUT_MS }));
  companionServers.set(app, [...(companionServers.get(app) ?? []), server]);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_fastify, done) => {
      if (!server.listening) return done();
      server.close(() => done());
      server.closeAllConnections();
    });
  return server;
}

/** How long in-flight requests may take to finish once a stop is asked for. */
const HTTP_DRAIN_MS = 10_000;

/**
 * How long the rest of a stop may take (consumers, the outbox's last pass, the producer, the
 * pool): a dependency that stopped answering (a hung broker holds every Kafka request for
 * kafkajs' 30 s, again and again) would otherwise keep the process from exiting. With the HTTP
 * drain, a stop takes at most 20 s, within a supervisor's usual 30 s before it kills. What it
 * leaves is safe: events not yet published stay in the outbox for the next start, and offsets
 * not yet committed deliver their events again, which the inbox skips.
 */
export const CLOSE_DEADLINE_MS = 10_000;
const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Starts HTTP, then the Kafka consumers the app connected, without waiting for them: joining
 * the consumer group can take as long as a dead member's session (the group rebalances around
 * it), and the service answers requests meanwhile while `/health` says its consumers are
 * starting. A consumer that cannot start at all ends the process, for its supervisor to restart.
 */
export async function startServiceApp(app: INestApplication): Promise<void> {
  const http = app.get(ConfigService).getOrThrow<HttpConfig>(HTTP_CONFIG);
  await app.listen(http.port, http.host);
  keepIdleConnectionsLongerThanClients(app.getHttpServer());
  stopInOrderOnSignals(app);
  Logger.log(`listening on http://${http.host}:${http.port}`, 'Bootstrap');
  app.startAllMicroservices().then(
    () => Logger.log('consumers started', 'Bootstrap'),
    (error: Error) => {
      Logger.error(`consumers could not start: ${error.message}`, 'Bootstrap');
      process.exit(1);
    },
  );
}

/**
 * A stop lets what was accepted finish and be published: HTTP stops accepting and drains, then
 * Nest's hooks run in their order — consumers finish the message in hand (onModuleDestroy),
 * the outbox relay publishes what both committed (beforeApplicationShutdown), and only then do
 * the producer and the database pool close (onApplicationShutdown); past CLOSE_DEADLINE_MS it
 * exits anyway, with code 1. A second signal stops at once.
 */
function stopInOrderOnSignals(app: INestApplication): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    Logger.log(`${signal}: draining HTTP, then consumers and the outbox`, 'Shutdown');
    process.exit(await stopInOrder(app));
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, (received) => void stop(received));
}

/**
 * Stops the app as a signal does (see stopInOrderOnSignals) and answers the exit code: 0 once
 * everything closed, 1 when the stop did not finish cleanly, so a supervisor records a failed
 * stop rather than a clean one.
 */
export async function stopInOrder(app: INestApplication): Promise<number> {
  try {
    const servers = [app.getHttpServer() as Server, ...(companionServers.get(app) ?? [])];
    await Promise.all(servers.map((server) => drainHttp(server, HTTP_DRAIN_MS)));
    await withTimeout(app.close(), CLOSE_DEADLINE_MS, 'the consumers, the outbox and the connections did not close');
    return 0;
  } catch (error) {
    Logger.error(`stop did not finish cleanly: ${(error as Error).message}; exiting anyway`, 'Shutdown');
    return 1;
  }
}

/** Stops accepting connections and waits for in-flight requests, closing idle keep-alive ones. */
async function drainHttp(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweeper = setInterval(() => server.closeIdleConnections(), 100);
  const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  try {
    if ((await Promise.race([closed, deadline])) === 'late') server.closeAllConnections();
  } finally {
    clearInterval(sweeper);
  }
}
