import { HttpStatus } from '@nestjs/common';
import { answerAndClose, configNamespace, MetricName, metricsRegistry, rawErrorAnswer, variable } from '@petstore/platform';
import Joi from 'joi';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Counter } from 'prom-client';
import { clientAt } from './request-limit';

/**
 * How many connections one client may hold open at once: each one costs the gateway a file
 * descriptor and memory for as long as the client keeps it (a request's headers may take 66 s
 * to arrive, its body 300 s), so without a cap one address could hold thousands and exhaust
 * them for everyone. A browser opens six per origin.
 */
export const connectionLimitConfig = configNamespace('connectionLimit', {
  maxPerClient: variable('CONNECTIONS_MAX_PER_CLIENT', Joi.number().integer().min(1).default(100)),
});

export type ConnectionLimitConfig = ReturnType<typeof connectionLimitConfig.read>;

const refusedConnections = new Counter({
  name: MetricName.httpConnectionsRefused,
  help: 'Connections refused (answered 429 and closed) because their client already held CONNECTIONS_MAX_PER_CLIENT open',
  registers: [metricsRegistry],
});

/** A connection is refused for as long as its client's others stay open; the client may try again soon. */
const REFUSED_RETRY_AFTER_SECONDS = 1;

/**
 * Caps each client (an address, an IPv6 /64) at CONNECTIONS_MAX_PER_CLIENT open connections:
 * one past the cap is answered 429 at once and closed, before HTTP reads anything of it, so it
 * costs no parser, no timer of HTTP's and no request. A connection from a proxy the gateway
 * trusts is not capped: it carries many clients, and the proxy caps its own. Must be given the
 * server before it listens.
 */
export function limitConnectionsPerClient(server: Server, config: ConnectionLimitConfig, isTrustedProxy: (address: string) => boolean): void {
  const openByClient = new Map<string, number>();
  const refusal = rawErrorAnswer(HttpStatus.TOO_MANY_REQUESTS, `too many connections from this client: at most ${config.maxPerClient} open at once`, {
    'retry-after': String(REFUSED_RETRY_AFTER_SECONDS),
  });
  const serve = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address !== undefined && !isTrustedProxy(address)) {
      const client = clientAt(address);
      const open = openByClient.get(client) ?? 0;
      if (open >= config.maxPerClient) {
        refusedConnections.inc();
        return answerAndClose(socket, refusal);
      }
      openByClient.set(client, open + 1);
      socket.once('close', () => {
        const stillOpen = (openByClient.get(client) ?? 1) - 1;
        if (stillOpen > 0) openByClient.set(client, stillOpen);
        else openByClient.delete(client);
      });
    }
    for (const listener of serve) listener.call(server, socket);
  });
}
