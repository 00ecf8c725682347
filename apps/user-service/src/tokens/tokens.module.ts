import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../app/auth.config';
import { SigningKeys } from './signing-keys.service';
import { TokenIssuer } from './token-issuer.service';
import { TokenRegistry } from './token-registry.service';
import { TokensController } from './tokens.controller';

@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  controllers: [TokensController],
  providers: [SigningKeys, TokenIssuer, TokenRegistry],
  exports: [TokenIssuer],
})
export class TokensModule {}
