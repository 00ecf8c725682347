import { databaseVariableOf, ServiceName, withDatabase } from '@petstore/platform';
import { appEnvironment } from './environment';

/** The connection URL of a service's database in the suite's own stack. */
export function databaseUrlOf(service: ServiceName): string {
  const env = appEnvironment();
  return withDatabase(env['DATABASE_URL'] as string, env[databaseVariableOf(service)] as string);
}
