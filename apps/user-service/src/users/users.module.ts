import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../app/auth.config';
import { PasswordHasher } from './password-hasher.service';
import { SignUpThrottle } from './sign-up-throttle.service';
import { StoreOwnerSeeder } from './store-owner.seeder';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, PasswordHasher, StoreOwnerSeeder, SignUpThrottle],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
