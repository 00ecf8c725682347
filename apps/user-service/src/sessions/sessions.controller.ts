import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { CLIENT_ADDRESS_HEADER, IssuedToken, LoginDto } from '@petstore/dto';
import { SessionsService } from './sessions.service';

const UNKNOWN_CLIENT = 'unknown';

@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  login(@Body() credentials: LoginDto, @Headers(CLIENT_ADDRESS_HEADER) client: string | undefined): Promise<IssuedToken> {
    return this.sessions.login(credentials, client || UNKNOWN_CLIENT);
  }
}
