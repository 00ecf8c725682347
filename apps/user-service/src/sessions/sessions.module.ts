import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../app/auth.config';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { LoginThrottle } from './login-throttle.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [ConfigModule.forFeature(authConfig), UsersModule, TokensModule],
  controllers: [SessionsController],
  providers: [SessionsService, LoginThrottle],
})
export class SessionsModule {}
