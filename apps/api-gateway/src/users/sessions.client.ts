import { HttpException, Injectable } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER, IssuedToken, LoginDto, TokenReference } from '@petstore/dto';
import { errorBody, InjectServiceClient, ServiceClient } from '@petstore/platform';
import type { Request, Response } from 'express';

async function bodyOf(answer: globalThis.Response): Promise<{ message?: string | string[] } & Partial<IssuedToken>> {
  const text = await answer.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { message: text };
  }
}

/** Login and logout through user-service, which alone holds credentials and the signing key. */
@Injectable()
export class SessionsClient {
  constructor(@InjectServiceClient('user-service') private readonly users: ServiceClient) {}

  /**
   * Answers with the token as a JSON string (`"eyJ…"`, application/json), which clients generated
   * from the contract's `type: string` response parse; sets X-Rate-Limit and X-Expires-After,
   * and Retry-After on 429.
   */
  async login(credentials: LoginDto, request: Request, response: Response): Promise<string> {
    const answer = await this.users.send({
      method: 'POST',
      path: '/sessions',
      json: { username: credentials.username, password: credentials.password },
      headers: { [CLIENT_ADDRESS_HEADER]: request.ip ?? request.socket.remoteAddress },
    });
    const body = await bodyOf(answer);
    if (!answer.ok) {
      const retryAfter = answer.headers.get('retry-after');
      if (retryAfter) response.setHeader('retry-after', retryAfter);
      throw new HttpException(errorBody(answer.status, body.message ?? `user-service answered ${answer.status}`), answer.status);
    }
    response.setHeader('x-rate-limit', String(body.rateLimit));
    response.setHeader('x-expires-after', String(body.expiresAt));
    response.setHeader('cache-control', 'no-store');
    response.setHeader('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(body.token);
  }

  async logout(token: TokenReference): Promise<void> {
    await this.users.json({ method: 'POST', path: '/tokens/revocations', json: token });
  }
}
