import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../public.decorator';
import { ServiceIdentity } from './service-identity';
import { SERVICE_JWKS_PATH } from './service-token';

/** The public key this service signs its calls with, for the services it calls. */
@ApiExcludeController()
@Controller()
export class ServiceJwksController {
  constructor(private readonly identity: ServiceIdentity) {}

  @Public()
  @Get(SERVICE_JWKS_PATH)
  @Header('cache-control', 'no-cache')
  jwks() {
    return this.identity.jwks();
  }
}
