import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import type { EnvironmentSchema } from '../config-namespace';
import { dependencyEnvironment } from '../environment';
import { SERVICE_NAMES, ServiceName, urlVariableOf } from '../service-catalog';
import { SERVICE_TIMEOUT_VARIABLE, ServiceClient } from '../service-client';
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
  return [serviceIdentityConfig(service).environment, dependencyEnvironment(...SERVICE_NAMES.filter((other) => other !== service))];
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
            provide: APP_GUARD,
            inject: [Reflector, ConfigService],
            useFactory: (reflector: Reflector, settings: ConfigService) =>
              new ServiceAuthGuard(
                service,
                new CallerKeys(
                  (caller) =>
                    new ServiceClient(
                      caller,
                      settings.getOrThrow<string>(urlVariableOf(caller)),
                      settings.getOrThrow<number>(SERVICE_TIMEOUT_VARIABLE),
                    ),
                ),
                reflector,
              ),
          },
        ]
      : [];
    return {
      module: ServiceAuthModule,
      global: true,
      imports: [ConfigModule.forFeature(config)],
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
