import { databaseVariableOf, ServiceName } from '@petstore/platform';
import { withDatabase } from '@petstore/platform/database';
import { appEnvironment } from './environment';

/** The connection URL of a service's database in the suite's own stack. */
export function databaseUrlOf(service: ServiceName): string {
  const env = appEnvironment();
  return withDatabase(env['DATABASE_URL'] as string, env[databaseVariableOf(service)] as string);
}
