import { ConfigType } from '@nestjs/config';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';
import { databaseVariableOf, defaultDatabaseOf, defaultPortOf, portVariableOf, ServiceName } from './service-catalog';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432';

export const HTTP_CONFIG = 'http';
export const DATABASE_CONFIG = 'database';

/** Where the app listens, and the largest request body it reads. */
export const httpConfig = (service: ServiceName) =>
  configNamespace(HTTP_CONFIG, {
    port: variable(portVariableOf(service), Joi.number().port().default(defaultPortOf(service))),
    host: variable('HTTP_HOST', Joi.string().hostname().default('127.0.0.1')),
    bodyLimit: variable(
      'HTTP_BODY_LIMIT',
      Joi.string()
        .pattern(/^\d+(b|kb|mb)$/i)
        .default('1mb'),
    ),
  });

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
