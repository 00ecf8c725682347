import { ConfigType, registerAs } from '@nestjs/config';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';
import { databaseVariableOf, defaultDatabaseOf, portVariableOf, ServiceName } from './service-catalog';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432';

export const HTTP_CONFIG = 'http';
export const DATABASE_CONFIG = 'database';

export const httpConfig = (service: ServiceName) =>
  registerAs(HTTP_CONFIG, () => ({
    service,
    port: Number(process.env[portVariableOf(service)]),
    host: process.env['HTTP_HOST'] as string,
    bodyLimit: process.env['HTTP_BODY_LIMIT'] as string,
  }));

export type HttpConfig = ConfigType<ReturnType<typeof httpConfig>>;

/** The Postgres server every service uses, and the database on it that this service owns. */
export const databaseConfig = (service: ServiceName) =>
  configNamespace(DATABASE_CONFIG, {
    serverUrl: variable('DATABASE_URL', Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).default(DEFAULT_DATABASE_URL)),
    database: variable(
      databaseVariableOf(service),
      Joi.string()
        .pattern(/^[a-z_][a-z0-9_]*$/)
        .default(defaultDatabaseOf(service) ?? undefined),
    ),
  });

export type DatabaseConfig = ConfigType<ReturnType<typeof databaseConfig>>;
