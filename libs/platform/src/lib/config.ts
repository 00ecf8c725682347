import { ConfigType, registerAs } from '@nestjs/config';
import type { LoggingConfig } from './logging';
import { databaseVariableOf, portVariableOf, ServiceName } from './service-catalog';

export const HTTP_CONFIG = 'http';
export const DATABASE_CONFIG = 'database';
export const LOGGING_CONFIG = 'logging';

export const httpConfig = (service: ServiceName) =>
  registerAs(HTTP_CONFIG, () => ({
    service,
    port: Number(process.env[portVariableOf(service)]),
    host: process.env['HTTP_HOST'] as string,
    bodyLimit: process.env['HTTP_BODY_LIMIT'] as string,
  }));

export type HttpConfig = ConfigType<ReturnType<typeof httpConfig>>;

export const loggingConfig = registerAs(LOGGING_CONFIG, () => ({
  level: process.env['LOG_LEVEL'] as LoggingConfig['level'],
  format: process.env['LOG_FORMAT'] as LoggingConfig['format'],
}));

export const databaseConfig = (service: ServiceName) =>
  registerAs(DATABASE_CONFIG, () => ({
    serverUrl: process.env['DATABASE_URL'] as string,
    database: process.env[databaseVariableOf(service)] as string,
  }));

export type DatabaseConfig = ConfigType<ReturnType<typeof databaseConfig>>;
