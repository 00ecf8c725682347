import { INestApplication, Logger, Type, ValidationPipe } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Server } from 'node:http';
import { HTTP_CONFIG, HttpConfig } from './config';
import { correlationIdMiddleware } from './correlation';
import { bodyParserErrorHandler, HttpErrorFilter } from './errors';
import { hostileInputGuard } from './hostile-input';
import { LOGGING_CONFIG, LoggingConfig, serviceLogger } from './logging';
import { httpMetricsMiddleware } from './metrics/http-metrics';
import { ServiceName } from './service-catalog';

/** The same request pipeline for HTTP and for Kafka payloads (apps connect with inheritAppConfig). */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({ whitelist: true, transform: true, forbidUnknownValues: true });
}

/**
 * Creates a service's Nest app with the pipeline every app shares: request timing, JSON logs,
 * correlation ids, a JSON body limit answered with 413, input no field can hold and validation
 * failures answered with 400 naming the field, one error shape.
 */
export async function createServiceApp(module: Type<unknown>, service: ServiceName): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get(ConfigService);
  app.useLogger(serviceLogger(service, config.getOrThrow<LoggingConfig>(LOGGING_CONFIG)));
  const http = config.getOrThrow<HttpConfig>(HTTP_CONFIG);
  app.use(httpMetricsMiddleware);
  app.use(correlationIdMiddleware);
  app.use(express.json({ limit: http.bodyLimit }));
  app.use(express.urlencoded({ extended: false, limit: http.bodyLimit }));
  app.use(bodyParserErrorHandler);
  app.use(hostileInputGuard);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter(service));
  app.enableShutdownHooks();
  app.flushLogs();
  Logger.log(`configured ${service}`, 'Bootstrap');
  return app;
}

/**
 * Clients (undici's fetch, proxies) drop an idle keep-alive connection after about 4 s; a
 * server that closes first at Node's default 5 s races with a request just being sent on it,
 * which the client sees as "other side closed". Outlasting the clients avoids that race.
 */
const IDLE_CONNECTION_TIMEOUT_MS = 65_000;

function keepIdleConnectionsLongerThanClients(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_TIMEOUT_MS;
  server.headersTimeout = IDLE_CONNECTION_TIMEOUT_MS + 1_000;
}

/** Starts the Kafka consumers the app connected, then HTTP; both stop gracefully on SIGTERM/SIGINT. */
export async function startServiceApp(app: INestApplication): Promise<void> {
  const http = app.get(ConfigService).getOrThrow<HttpConfig>(HTTP_CONFIG);
  await app.startAllMicroservices();
  await app.listen(http.port, http.host);
  keepIdleConnectionsLongerThanClients(app.getHttpServer());
  Logger.log(`listening on http://${http.host}:${http.port}`, 'Bootstrap');
}
