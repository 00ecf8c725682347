import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER, IssuedToken, LoginDto } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { SessionsService } from './sessions.service';

const UNKNOWN_CLIENT = 'unknown';

/** Login, for the gateway: it passes the credentials and the client's address. */
@ServiceOnly('api-gateway')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  login(@Body() credentials: LoginDto, @Headers(CLIENT_ADDRESS_HEADER) client: string | undefined): Promise<IssuedToken> {
    return this.sessions.login(credentials, client || UNKNOWN_CLIENT);
  }
}
