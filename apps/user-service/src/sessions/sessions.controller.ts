import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER, IssuedToken, LoginDto } from '@petstore/dto';
import type { Response } from 'express';
import { SessionsService } from './sessions.service';
import { TooManyLoginAttemptsException } from './too-many-login-attempts.exception';

const UNKNOWN_CLIENT = 'unknown';

@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  async login(
    @Body() credentials: LoginDto,
    @Headers(CLIENT_ADDRESS_HEADER) client: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedToken> {
    try {
      return await this.sessions.login(credentials, client || UNKNOWN_CLIENT);
    } catch (error) {
      if (error instanceof TooManyLoginAttemptsException) response.setHeader('retry-after', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
