import Joi from 'joi';
import { DEFAULT_TIMEOUT_MS, SERVICE_TIMEOUT_VARIABLE } from './service-client';
import {
  databaseVariableOf,
  defaultDatabaseOf,
  defaultPortOf,
  portVariableOf,
  ServiceName,
  urlOf,
  urlVariableOf,
} from './service-catalog';

export type EnvironmentSchema = Record<string, Joi.Schema>;

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432';

export function httpEnvironment(service: ServiceName): EnvironmentSchema {
  return {
    [portVariableOf(service)]: Joi.number().port().default(defaultPortOf(service)),
    HTTP_HOST: Joi.string().hostname().default('127.0.0.1'),
    HTTP_BODY_LIMIT: Joi.string()
      .pattern(/^\d+(b|kb|mb)$/i)
      .default('1mb'),
  };
}

export function databaseEnvironment(service: ServiceName): EnvironmentSchema {
  return {
    DATABASE_URL: Joi.string()
      .uri({ scheme: ['postgres', 'postgresql'] })
      .default(DEFAULT_DATABASE_URL),
    [databaseVariableOf(service)]: Joi.string()
      .pattern(/^[a-z_][a-z0-9_]*$/)
      .default(defaultDatabaseOf(service) ?? undefined),
  };
}

/** The base URLs of the services this one calls, each overridable, and the timeout of every call. */
export function dependencyEnvironment(...dependencies: ServiceName[]): EnvironmentSchema {
  return {
    [SERVICE_TIMEOUT_VARIABLE]: Joi.number().integer().min(1).default(DEFAULT_TIMEOUT_MS),
    ...Object.fromEntries(
      dependencies.map((dependency) => [
        urlVariableOf(dependency),
        Joi.string().uri({ scheme: ['http', 'https'] }).default(urlOf(dependency, {})),
      ]),
    ),
  };
}
