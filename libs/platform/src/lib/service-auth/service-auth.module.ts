import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import type { EnvironmentSchema } from '../config-namespace';
import { ServiceName } from '../service-catalog';
import { serviceCallsConfig, ServiceCallsConfig, ServiceClient } from '../service-client';
import { CallerKeys } from './caller-keys';
import { ServiceAuthGuard } from './service-auth.guard';
import { ServiceIdentity, ServiceIdentityConfig, serviceIdentityConfig } from './service-identity';
import { ServiceJwksController } from './service-jwks.controller';

export interface ServiceAuthOptions {
  /** Guard every route with ServiceAuthGuard: true for the services behind the gateway. */
  authenticateCallers: boolean;
}

/**
 * The variables service authentication reads: this service's own key, and where every other
 * service is, since any of them may be a caller whose keys must be fetched.
 */
export function serviceAuthEnvironment(service: ServiceName): EnvironmentSchema[] {
  return [serviceIdentityConfig(service).environment, serviceCallsConfig.environment];
}

/**
 * The service's identity (global, so every ServiceClient signs its calls with it) and its JWKS;
 * with `authenticateCallers`, the guard that verifies every caller.
 */
@Module({})
export class ServiceAuthModule {
  static forService(service: ServiceName, options: ServiceAuthOptions): DynamicModule {
    const config = serviceIdentityConfig(service);
    const guard: Provider[] = options.authenticateCallers
      ? [
          {
            provide: CallerKeys,
            inject: [serviceCallsConfig.KEY],
            useFactory: (calls: ServiceCallsConfig) => new CallerKeys((caller) => new ServiceClient(caller, calls[caller], calls.timeoutMs)),
          },
          {
            provide: APP_GUARD,
            inject: [Reflector, CallerKeys],
            useFactory: (reflector: Reflector, keys: CallerKeys) => new ServiceAuthGuard(service, keys, reflector),
          },
        ]
      : [];
    return {
      module: ServiceAuthModule,
      global: true,
      imports: [ConfigModule.forFeature(config), ConfigModule.forFeature(serviceCallsConfig)],
      controllers: [ServiceJwksController],
      providers: [
        {
          provide: ServiceIdentity,
          inject: [config.KEY],
          useFactory: (values: ServiceIdentityConfig) => new ServiceIdentity(service, values.privateKey),
        },
        ...guard,
      ],
      exports: [ServiceIdentity],
    };
  }
}
