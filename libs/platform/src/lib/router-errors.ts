import { HttpStatus } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './errors';
import { timeRequest } from './metrics/http-metrics';
import { NO_SNIFFING_HEADER } from './no-sniffing';

/** The longest path segment a route parameter takes (find-my-way's own default, made explicit). */
export const MAX_PATH_PARAMETER_LENGTH = 100;

const MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: "the request's path is not valid percent-encoding",
  FST_ERR_MAX_PARAM_LENGTH: `a segment of the request's path is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
};

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route, hook or error filter
 * sees the request (a path that is not valid percent-encoding, 400; a path parameter over
 * MAX_PATH_PARAMETER_LENGTH, 414), answered in the one error shape and timed as a request no
 * route matched. Fastify's own answer had a shape of its own and echoed the whole path, however
 * long, back to the caller.
 */
export function answerRouterErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? HttpStatus.INTERNAL_SERVER_ERROR;
  const message = MESSAGES[error.code] ?? (status < HttpStatus.INTERNAL_SERVER_ERROR ? error.message : 'Internal server error');
  reply.code(status).headers(NO_SNIFFING_HEADER).send(errorBody(status, message));
  timeRequest(request, reply);
}
