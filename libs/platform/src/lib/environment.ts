import Joi from 'joi';
import type { EnvironmentSchema } from './config-namespace';
import { DEFAULT_TIMEOUT_MS, SERVICE_TIMEOUT_VARIABLE } from './service-client';
import { ServiceName, urlOf, urlVariableOf } from './service-catalog';

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
