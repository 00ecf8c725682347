import catalog from './service-catalog.json';

export type ServiceName = keyof typeof catalog;

export const SERVICE_NAMES = Object.keys(catalog) as ServiceName[];

function envPrefix(service: ServiceName): string {
  return service.toUpperCase().replace(/-/g, '_');
}

/** `PET_SERVICE_PORT` and the like: each app's port, overridable one by one. */
export function portVariableOf(service: ServiceName): string {
  return `${envPrefix(service)}_PORT`;
}

/** `PET_SERVICE_URL` and the like: where callers find a service. */
export function urlVariableOf(service: ServiceName): string {
  return `${envPrefix(service)}_URL`;
}

/** `PET_SERVICE_DATABASE` and the like: the database a service owns on the DATABASE_URL server. */
export function databaseVariableOf(service: ServiceName): string {
  return `${envPrefix(service)}_DATABASE`;
}

/** `ORDER_SERVICE_IDENTITY_KEY` and the like: the private key a service signs its calls with. */
export function identityKeyVariableOf(service: ServiceName): string {
  return `${envPrefix(service)}_IDENTITY_KEY`;
}

export function defaultPortOf(service: ServiceName): number {
  return catalog[service].port;
}

export function defaultDatabaseOf(service: ServiceName): string | null {
  return catalog[service].database;
}

export function portOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[portVariableOf(service)];
  return raw ? Number(raw) : defaultPortOf(service);
}

export function urlOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  return env[urlVariableOf(service)] ?? `http://127.0.0.1:${portOf(service, env)}`;
}
