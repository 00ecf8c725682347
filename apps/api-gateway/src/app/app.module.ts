import { Module } from '@nestjs/common';
import { dependencyEnvironment, HealthModule, ServiceClientModule, ServiceConfigModule } from '@petstore/platform';
import { AuthModule } from '../auth/auth.module';
import { ServicesHealthProbe } from '../health/services-health.probe';
import { UsersModule } from '../users/users.module';
import { DOWNSTREAM, SERVICE } from './service';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, { environment: [dependencyEnvironment(...DOWNSTREAM)] }),
    ServiceClientModule.register(...DOWNSTREAM),
    HealthModule.register({ probes: [ServicesHealthProbe], imports: [ServiceClientModule.register(...DOWNSTREAM)] }),
    AuthModule,
    UsersModule,
  ],
})
export class AppModule {}
