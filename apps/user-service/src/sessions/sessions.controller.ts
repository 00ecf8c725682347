import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { IssuedToken, LoginDto } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { ClientAddress } from '../app/client-address';
import { SessionsService } from './sessions.service';

/** Login, for the gateway: it passes the credentials and the client's address. */
@ServiceOnly('api-gateway')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  login(@Body() credentials: LoginDto, @ClientAddress() client: string): Promise<IssuedToken> {
    return this.sessions.login(credentials, client);
  }
}
