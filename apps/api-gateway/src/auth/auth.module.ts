import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ServiceClientModule } from '@petstore/platform';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { PublicKeys } from './public-keys.service';
import { RolesGuard } from './roles.guard';

/**
 * Token verification and role checks for every gateway route: a valid token is required unless
 * the route is @Public(); @Roles(...) restricts further (401 before 403).
 */
@Module({
  imports: [PassportModule, ServiceClientModule.register('user-service')],
  providers: [PublicKeys, JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }, { provide: APP_GUARD, useClass: RolesGuard }],
})
export class AuthModule {}
