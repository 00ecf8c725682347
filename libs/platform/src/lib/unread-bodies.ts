import type { FastifyInstance, FastifyReply } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** How much of a body an app still reads and drops after answering without it, and how long the connection may stay. */
export interface UnreadBodyAllowance {
  bytes: number;
  milliseconds: number;
}

/**
 * Enough for a client that sent somewhat more than a limit to finish sending and keep its
 * connection, and for any client to read the answer; one still sending past it is not making a
 * mistake worth a connection.
 */
export const UNREAD_BODY_ALLOWANCE: UnreadBodyAllowance = { bytes: 1024 * 1024, milliseconds: 2_000 };

/**
 * Bounds what an app reads of a body it answered without reading to its end: a 413 once the body
 * passed its limit, a 401 or 415 before an upload was read, a body sent with a read. Node would
 * otherwise read and drop whatever the client goes on sending, gigabytes for as long as the
 * whole-request timeout lets it, and anyone can send one before any authentication.
 *
 * The answer goes out at once (clients read it while still sending). Up to `allowance.bytes`
 * more is read and dropped, so a client that stops within it keeps its connection, or has it
 * closed gently if it asked for that. Past it, the app says it will send nothing more and stops
 * reading: the client stalls rather than being reset before it has read the answer. The
 * connection is closed `allowance.milliseconds` after the answer unless the body has ended by then.
 */
export function boundUnreadBodies(fastify: FastifyInstance, allowance: UnreadBodyAllowance = UNREAD_BODY_ALLOWANCE): void {
  // Before the answer is written, not after: Node drops a body nobody reads once the answer is out
  // without passing it to any listener, so it could no longer be counted.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete && !request.raw.destroyed) lingerUntilBodyEnds(request.raw, reply, allowance);
    done(null, payload);
  });
}

/**
 * Node resets a connection whose answer says it closes as soon as the answer is written: with the
 * body still coming, the client often meets the reset before it has read the answer. So the answer
 * keeps the connection; one the client asked to close is closed here once its body has been read,
 * a half-close first, as HTTP asks of a server. Fastify asks to close after a body its parser
 * refused only because more of it may come, which is what this bounds.
 */
function lingerUntilBodyEnds(request: IncomingMessage, reply: FastifyReply, allowance: UnreadBodyAllowance): void {
  const closeAfterBody = !reply.raw.shouldKeepAlive;
  reply.removeHeader('connection');
  reply.raw.shouldKeepAlive = true;
  const socket = request.socket;
  const deadline = setTimeout(() => socket.destroy(), allowance.milliseconds);
  let discarded = 0;
  const discard = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded <= allowance.bytes) return;
    request.off('data', discard);
    request.pause();
    socket.end();
  };
  request.on('data', discard);
  request.once('end', () => {
    clearTimeout(deadline);
    if (closeAfterBody) socket.end();
  });
  request.once('close', () => clearTimeout(deadline));
  request.resume();
}
