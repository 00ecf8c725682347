import { Module } from '@nestjs/common';
import { KafkaHealthProbe, kafkaEnvironment, MESSAGING_ENTITIES, MESSAGING_MIGRATIONS, MessagingModule } from '@petstore/messaging';
import {
  databaseEnvironment,
  DatabaseHealthProbe,
  DatabaseModule,
  dependencyEnvironment,
  HealthModule,
  ServiceClientModule,
  ServiceConfigModule,
} from '@petstore/platform';
import { SessionsModule } from '../sessions/sessions.module';
import { LoginAttemptEntity } from '../sessions/login-attempt.entity';
import { RevokedTokenEntity } from '../tokens/revoked-token.entity';
import { SigningKeyEntity } from '../tokens/signing-key.entity';
import { TokensModule } from '../tokens/tokens.module';
import { UserEntity } from '../users/user.entity';
import { UsersModule } from '../users/users.module';
import { authEnvironment } from './auth.config';
import { CreateUsers1764200000000 } from './migrations/1764200000000-create-users';
import { SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [databaseEnvironment(SERVICE), kafkaEnvironment, dependencyEnvironment(), authEnvironment],
    }),
    DatabaseModule.forService(SERVICE, {
      entities: [...MESSAGING_ENTITIES, UserEntity, SigningKeyEntity, RevokedTokenEntity, LoginAttemptEntity],
      migrations: [...MESSAGING_MIGRATIONS, CreateUsers1764200000000],
    }),
    MessagingModule.forService({ groupId: SERVICE, relay: false }),
    ServiceClientModule.register(),
    HealthModule.register({ probes: [DatabaseHealthProbe, KafkaHealthProbe] }),
    UsersModule,
    TokensModule,
    SessionsModule,
  ],
})
export class AppModule {}
