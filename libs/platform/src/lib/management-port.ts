import { Logger, NotFoundException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { onRequestHookHandler } from 'fastify';
import Joi from 'joi';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCompanionServer } from './bootstrap';
import { configNamespace, variable } from './config-namespace';
import { MANAGEMENT_PATHS } from './management-paths';
import { requestLineOf } from './request-line';

/**
 * The port an app serves its management paths on, apart from its API: unset, they are served on
 * the app's own port beside it.
 */
export const managementPortConfig = configNamespace('managementPort', {
  port: variable('MANAGEMENT_PORT', Joi.number<number | undefined>().port()),
});

export type ManagementPortConfig = ReturnType<typeof managementPortConfig.read>;

/** Requests that arrived on the management port, wherever the router sends them. */
const onManagementPort = new WeakSet<IncomingMessage>();

const servedOnlyOnManagementPort: onRequestHookHandler = (request, _reply, done) => {
  if (onManagementPort.has(request.raw)) return done();
  done(new NotFoundException(`${requestLineOf(request)} is not served on this port: ${MANAGEMENT_PATHS.join(' and ')} are on the management port`));
};

const notServedOnManagementPort: onRequestHookHandler = (request, _reply, done) => {
  if (!onManagementPort.has(request.raw)) return done();
  done(new NotFoundException(`the management port serves only ${MANAGEMENT_PATHS.join(' and ')}, not ${requestLineOf(request)}`));
};

export interface ManagementServer {
  /** Starts serving the management paths; resolves with the server once it listens. */
  listen(): Promise<Server>;
}

/**
 * With MANAGEMENT_PORT set, `app` serves /health and /metrics only on that port, and everything
 * else only on its own: its API port can face clients while probes and Prometheus reach the
 * management port from inside, past no per-client limit (the connection cap is the API server's).
 * One router serves both: a request on the management port is passed to the app's Fastify
 * routing, and each route refuses (404) what arrived on the other port. Must be called before
 * the routes are registered (before the app listens); `listen()` once the app listens.
 */
export function serveManagementPathsApart(app: NestFastifyApplication, config: ManagementPortConfig, host: string): ManagementServer | undefined {
  const { port } = config;
  if (port === undefined) return undefined;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const hook = MANAGEMENT_PATHS.includes(route.url) ? servedOnlyOnManagementPort : notServedOnManagementPort;
    route.onRequest = [hook, ...[route.onRequest ?? []].flat()];
  });
  const server = createCompanionServer(app, (request, response) => {
    onManagementPort.add(request);
    fastify.routing(request, response);
  });
  return {
    listen: () =>
      new Promise<Server>((resolve, reject) => {
        server.once('error', (error) => reject(new Error(`MANAGEMENT_PORT ${port} could not be listened on: ${error.message}`)));
        server.listen(port, host, () => {
          server.removeAllListeners('error');
          Logger.log(`serving ${MANAGEMENT_PATHS.join(' and ')} on http://${host}:${(server.address() as AddressInfo).port}`, 'Bootstrap');
          resolve(server);
        });
      }),
  };
}
