import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { JWKS_PATH, TokenIntrospection } from '@petstore/dto';
import { Public, ServiceOnly } from '@petstore/platform';
import { PublicJwk, SigningKeys } from './signing-keys.service';
import { TokenReferenceDto } from './token-reference.dto';
import { TokenRegistry } from './token-registry.service';

/** Called by the gateway only: the public keys (open: they are public), whether a verified token is still good, logout. */
@ServiceOnly('api-gateway')
@Controller()
export class TokensController {
  constructor(
    private readonly keys: SigningKeys,
    private readonly registry: TokenRegistry,
  ) {}

  @Public()
  @Get(JWKS_PATH)
  @Header('cache-control', 'public, max-age=300')
  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.keys.publicJwks();
  }

  @Post('tokens/introspect')
  @HttpCode(HttpStatus.OK)
  introspect(@Body() token: TokenReferenceDto): Promise<TokenIntrospection> {
    return this.registry.introspect(token);
  }

  @Post('tokens/revocations')
  @HttpCode(HttpStatus.NO_CONTENT)
  revoke(@Body() token: TokenReferenceDto): Promise<void> {
    return this.registry.revoke(token);
  }
}
