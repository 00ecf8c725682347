import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../app/auth.config';
import { PasswordHasher } from './password-hasher.service';
import { StoreOwnerSeeder } from './store-owner.seeder';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [ConfigModule.forFeature(authConfig)],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, StoreOwnerSeeder],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
