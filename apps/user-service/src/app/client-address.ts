import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER } from '@petstore/dto';
import type { FastifyRequest } from 'fastify';

/** What the counters keep of an address: an IPv6 address with a zone fits many times over. */
const MAX_CLIENT_LENGTH = 128;
const UNKNOWN_CLIENT = 'unknown';

/**
 * The client's network address as the gateway saw it (CLIENT_ADDRESS_HEADER), which login and
 * sign-up count attempts by; 'unknown' when the gateway sent none.
 */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers[CLIENT_ADDRESS_HEADER];
  const address = typeof header === 'string' && header.length > 0 ? header : UNKNOWN_CLIENT;
  return address.slice(0, MAX_CLIENT_LENGTH);
});
