import { Injectable } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER, IssuedToken, LoginDto, TokenReference } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../app/request-limit';

/** The headers of a login's answer beside the token: the attempts allowed, and when the token expires. */
export const RATE_LIMIT_HEADER = 'x-rate-limit';
export const EXPIRES_AFTER_HEADER = 'x-expires-after';

/** Login and logout through user-service, which alone holds credentials and the signing key. */
@Injectable()
export class SessionsClient {
  constructor(@InjectServiceClient('user-service') private readonly users: ServiceClient) {}

  /**
   * Answers with the token as a JSON string (`"eyJ…"`, application/json), which clients generated
   * from the contract's `type: string` response parse; sets X-Rate-Limit and X-Expires-After,
   * and user-service's 429 reaches the client with its Retry-After.
   */
  async login(credentials: LoginDto, request: FastifyRequest, response: FastifyReply): Promise<string> {
    const body = await this.users.json<IssuedToken>({
      method: 'POST',
      path: '/sessions',
      json: { username: credentials.username, password: credentials.password },
      headers: { [CLIENT_ADDRESS_HEADER]: clientOf(request) },
    });
    response.headers({
      [RATE_LIMIT_HEADER]: String(body.rateLimit),
      [EXPIRES_AFTER_HEADER]: String(body.expiresAt),
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
    });
    return JSON.stringify(body.token);
  }

  async logout(token: TokenReference): Promise<void> {
    await this.users.json({ method: 'POST', path: '/tokens/revocations', json: token });
  }
}
