import { ConfigFactory, ConfigFactoryKeyHost, registerAs } from '@nestjs/config';
import Joi from 'joi';

export type EnvironmentSchema = Record<string, Joi.Schema>;

/** One environment variable: its name, and the schema that validates, converts and defaults it. */
export interface Variable<T> {
  name: string;
  schema: Joi.AnySchema<T>;
}

export function variable<T>(name: string, schema: Joi.AnySchema<T>): Variable<T> {
  return { name, schema };
}

type ValuesOf<V extends Record<string, Variable<unknown>>> = { [F in keyof V]: V[F] extends Variable<infer T> ? T : never };

export type ConfigNamespace<T extends Record<string, unknown>> = ConfigFactory<T> &
  ConfigFactoryKeyHost<T> & { environment: EnvironmentSchema; read: () => T };

/**
 * A configuration namespace with each variable named once: `environment` is what the app
 * validates at start (a bad value stops it, naming the variable), and the namespace, injected
 * with `@Inject(namespace.KEY)`, holds each variable's value as that same schema converts it.
 * `read()` gives those values outside Nest, to code that runs before the app is created.
 */
export function configNamespace<V extends Record<string, Variable<unknown>>>(key: string, variables: V): ConfigNamespace<ValuesOf<V>> {
  const environment: EnvironmentSchema = Object.fromEntries(Object.values(variables).map(({ name, schema }) => [name, schema]));
  const read = () =>
    Object.fromEntries(
      Object.entries(variables).map(([field, { name, schema }]) => [field, Joi.attempt(process.env[name], schema, `${name}:`)]),
    ) as ValuesOf<V>;
  return Object.assign(registerAs(key, read), { environment, read });
}
