import { ConfigType } from '@nestjs/config';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';
import databaseDefaults from './database-defaults.json';
import { databaseVariableOf, defaultDatabaseOf, defaultPortOf, portVariableOf, ServiceName } from './service-catalog';

// In JSON so that tools/stack, plain Node, starts an embedded server when nothing answers here.
export const DEFAULT_DATABASE_URL = databaseDefaults.serverUrl;

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

const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A size as HTTP_BODY_LIMIT writes it (`512kb`, `1mb`), in bytes. */
export function bytesOf(size: string): number {
  const [, count, unit] = /^(\d+)(b|kb|mb)$/i.exec(size) ?? [];
  if (!count) throw new Error(`${size} is not a size in b, kb or mb`);
  return Number(count) * BYTES_PER_UNIT[unit.toLowerCase()];
}

/** The Postgres server every service uses, and the database on it that this service owns. */
export const databaseConfig = (service: ServiceName) =>
  configNamespace(DATABASE_CONFIG, {
    serverUrl: variable(
      'DATABASE_URL',
      Joi.string()
        .uri({ scheme: ['postgres', 'postgresql'] })
        .default(DEFAULT_DATABASE_URL),
    ),
    database: variable(
      databaseVariableOf(service),
      Joi.string()
        .pattern(/^[a-z_][a-z0-9_]*$/)
        .default(defaultDatabaseOf(service) ?? undefined),
    ),
  });

export type DatabaseConfig = ConfigType<ReturnType<typeof databaseConfig>>;
