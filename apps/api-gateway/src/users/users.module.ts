import { Module } from '@nestjs/common';
import { ServiceClientModule } from '@petstore/platform';
import { SessionsClient } from './sessions.client';
import { UsersController } from './users.controller';

@Module({
  imports: [ServiceClientModule.register('user-service')],
  controllers: [UsersController],
  providers: [SessionsClient],
})
export class UsersModule {}
