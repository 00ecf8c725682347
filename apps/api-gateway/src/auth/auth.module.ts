import { Module } from '@nestjs/common';

/** Token verification and role checks for every gateway route (filled in by the auth issue). */
@Module({})
export class AuthModule {}
