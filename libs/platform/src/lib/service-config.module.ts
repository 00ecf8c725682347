import { DynamicModule, Module } from '@nestjs/common';
import { ConfigFactory, ConfigModule } from '@nestjs/config';
import Joi from 'joi';
import type { EnvironmentSchema } from './config-namespace';
import { httpConfig } from './config';
import { loggingConfig } from './logging';
import { ServiceName } from './service-catalog';
import { tracingConfig } from './telemetry/tracing.config';

export interface ServiceConfigOptions {
  environment?: EnvironmentSchema[];
  load?: ConfigFactory[];
}

/**
 * Validates the environment at start: a missing or malformed variable stops the app with a
 * message naming it (Joi reports every failing variable, not just the first).
 */
@Module({})
export class ServiceConfigModule {
  static forService(service: ServiceName, options: ServiceConfigOptions = {}): Promise<DynamicModule> {
    const http = httpConfig(service);
    const schema = Object.assign({}, http.environment, loggingConfig.environment, tracingConfig.environment, ...(options.environment ?? []));
    return ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: true,
      validationSchema: Joi.object(schema),
      validationOptions: { abortEarly: false, allowUnknown: true },
      load: [http, loggingConfig, ...(options.load ?? [])],
    });
  }
}
