import { Module } from '@nestjs/common';
import { idempotentRequests, serviceInfrastructure } from '@petstore/platform/database';
import { SessionsModule } from '../sessions/sessions.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { authConfig } from './auth.config';
import { CreateUsers1764200000000 } from './migrations/1764200000000-create-users';
import { DropMessagingTables1764300000000 } from './migrations/1764300000000-drop-messaging-tables';
import { KeepOnlyPublicSigningKeys1764400000000 } from './migrations/1764400000000-keep-only-public-signing-keys';
import { VersionUsers1765300000000 } from './migrations/1765300000000-version-users';
import { CountSignUps1765400000000 } from './migrations/1765400000000-count-sign-ups';
import { RememberLoginClients1765500000000 } from './migrations/1765500000000-remember-login-clients';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      environment: [authConfig.environment],
      features: [idempotentRequests()],
      migrations: [
        CreateUsers1764200000000,
        DropMessagingTables1764300000000,
        KeepOnlyPublicSigningKeys1764400000000,
        VersionUsers1765300000000,
        CountSignUps1765400000000,
        RememberLoginClients1765500000000,
      ],
    }),
    UsersModule,
    TokensModule,
    SessionsModule,
  ],
})
export class AppModule {}
