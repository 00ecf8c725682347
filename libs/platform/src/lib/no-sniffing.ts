import type { FastifyInstance } from 'fastify';

/**
 * Tells browsers to read an answer only as the Content-Type it names: without it, a JSON answer
 * holding text a client stored (a pet's name, say) could be sniffed and run as HTML or script
 * when opened directly or loaded by another site's page.
 */
export const NO_SNIFFING_HEADER = { 'x-content-type-options': 'nosniff' } as const;

/** Every answer, success or error, carries NO_SNIFFING_HEADER. */
export function answerWithoutSniffing(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(NO_SNIFFING_HEADER);
    done();
  });
}
