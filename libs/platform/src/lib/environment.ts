import Joi from 'joi';
import type { EnvironmentSchema } from './config-namespace';
import { DEFAULT_TIMEOUT_MS, SERVICE_TIMEOUT_VARIABLE } from './service-client';
import {
  defaultPortOf,
  portVariableOf,
  ServiceName,
  urlOf,
  urlVariableOf,
} from './service-catalog';

export function httpEnvironment(service: ServiceName): EnvironmentSchema {
  return {
    [portVariableOf(service)]: Joi.number().port().default(defaultPortOf(service)),
    HTTP_HOST: Joi.string().hostname().default('127.0.0.1'),
    HTTP_BODY_LIMIT: Joi.string()
      .pattern(/^\d+(b|kb|mb)$/i)
      .default('1mb'),
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
