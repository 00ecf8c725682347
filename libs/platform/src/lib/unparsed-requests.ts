import { HttpStatus } from '@nestjs/common';
import { maxHeaderSize, ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Counter } from 'prom-client';
import { errorBody } from './errors';
import { MetricName } from './metrics/metric-names';
import { metricsRegistry } from './metrics/metrics-registry';
import { NO_SNIFFING_HEADER } from './no-sniffing';

/** How long a connection answered and closed here may stay open while its client reads the answer. */
const CLOSING_LINGER_MS = 5_000;

/** An answer written straight to a connection HTTP does not serve (yet, or any more), in the one error shape. */
export function rawErrorAnswer(status: number, message: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify(errorBody(status, message));
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries({ ...NO_SNIFFING_HEADER, ...headers }).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Writes the answer and closes the connection. What the client sends meanwhile is read and
 * dropped, for at most CLOSING_LINGER_MS: closing with unread data would reset the connection,
 * and a reset can discard the answer before the client reads it.
 */
export function answerAndClose(socket: Socket, answer: string): void {
  socket.on('error', () => socket.destroy());
  socket.setTimeout(CLOSING_LINGER_MS, () => socket.destroy());
  socket.resume();
  socket.end(answer);
}

export interface RequestTimeouts {
  headersMs: number;
  wholeRequestMs: number;
}

/** Nest's HttpStatus has no name for it. */
const REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

type ClientError = Error & { code?: string; reason?: string };

/** The response HTTP is writing on the connection, if any: answering over it would corrupt it. */
type ServedSocket = Socket & { _httpMessage?: ServerResponse | null };

const unparsedRequests = new Counter({
  name: MetricName.httpUnparsedRequests,
  help: 'Connections answered and closed because their request could not be read: not HTTP, headers too large, or too slow to arrive',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

function answerFor(error: ClientError, timeouts: RequestTimeouts): { status: number; reason: string; message: string } | undefined {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const message = `the request did not arrive in time: its headers may take ${timeouts.headersMs / 1000} s, the whole request ${timeouts.wholeRequestMs / 1000} s`;
    return { status: HttpStatus.REQUEST_TIMEOUT, reason: 'too_slow', message };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: REQUEST_HEADER_FIELDS_TOO_LARGE, reason: 'headers_too_large', message: `the request's headers exceed ${maxHeaderSize} bytes` };
  }
  if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') {
    return { status: HttpStatus.PAYLOAD_TOO_LARGE, reason: 'not_http', message: `the request's chunk extensions are too large` };
  }
  if (error.code?.startsWith('HPE_')) {
    return { status: HttpStatus.BAD_REQUEST, reason: 'not_http', message: `the request is not valid HTTP: ${error.reason ?? error.message}` };
  }
  return undefined;
}

/**
 * Answers a request HTTP could not read (Node's `clientError`): a parse failure 400 naming what
 * the parser found, headers over the size limit 431, a request too slow to arrive 408, each in
 * the one error shape, and counted, after the answer to an earlier request on the connection is
 * sent (pipelined requests). Fastify's own answer said only "Client Error". A connection that
 * failed below HTTP (a reset, a broken pipe) is only closed.
 */
export function answerUnparsedRequests(timeouts: RequestTimeouts): (error: ClientError, socket: Socket) => void {
  // HTTP's parser stays on the connection and reports its error again for every later chunk and at its end.
  const answered = new WeakSet<Socket>();
  return (error, socket) => {
    if (socket.destroyed || answered.has(socket)) return;
    const answer = answerFor(error, timeouts);
    if (!answer) {
      socket.destroy();
      return;
    }
    unparsedRequests.inc({ reason: answer.reason });
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const answerNow = () => {
      if (!socket.destroyed) answerAndClose(socket, rawErrorAnswer(answer.status, answer.message));
    };
    const responding = (socket as ServedSocket)._httpMessage;
    if (!responding || responding.writableFinished) return answerNow();
    // The answer under way is to an earlier request, received whole: the refusal follows it.
    if (responding.req.complete) return void responding.once('finish', answerNow);
    // It is to the request that failed (its body too slow): refused in its place, unless it began.
    if (responding.headersSent) socket.destroy();
    else answerNow();
  };
}
