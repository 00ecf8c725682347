import { Module } from '@nestjs/common';
import {
  healthCacheConfig,
  HealthModule,
  managementPortConfig,
  metricsCacheConfig,
  ObservabilityModule,
  photoUploadConfig,
  serviceAuthEnvironment,
  ServiceAuthModule,
  ServiceClientModule,
  ServiceConfigModule,
} from '@petstore/platform';
import { AuthModule } from '../auth/auth.module';
import { ServicesHealthProbe } from '../health/services-health.probe';
import { PetsModule } from '../pets/pets.module';
import { PhotosModule } from '../photos/photos.module';
import { StoreModule } from '../store/store.module';
import { UsersModule } from '../users/users.module';
import { DOWNSTREAM, SERVICE } from './service';
import { corsConfig } from './cors';
import { requestLimitConfig } from './request-limit';
import { trustProxyConfig } from './trust-proxy';

@Module({
  imports: [
    ServiceConfigModule.forService(SERVICE, {
      environment: [
        ...serviceAuthEnvironment(SERVICE),
        photoUploadConfig.environment,
        trustProxyConfig.environment,
        corsConfig.environment,
        requestLimitConfig.environment,
        healthCacheConfig.environment,
        metricsCacheConfig.environment,
        managementPortConfig.environment,
      ],
      load: [trustProxyConfig, corsConfig],
    }),
    // The gateway signs its calls; its own callers are clients, whose access tokens AuthModule verifies.
    ServiceAuthModule.forService(SERVICE, { authenticateCallers: false }),
    HealthModule.register({ probes: [ServicesHealthProbe], imports: [ServiceClientModule.register(...DOWNSTREAM)], reuseVerdicts: true }),
    ObservabilityModule.forService(SERVICE, { reuseScrapes: true }),
    AuthModule,
    PetsModule,
    PhotosModule,
    UsersModule,
    StoreModule,
  ],
})
export class AppModule {}
