import { databaseVariableOf, ServiceName } from '@petstore/platform';
import { withDatabase } from '@petstore/platform/database';
import { Client } from 'pg';
import { appEnvironment } from './environment';

/** The connection URL of a service's database in the suite's own stack. */
export function databaseUrlOf(service: ServiceName): string {
  const env = appEnvironment();
  return withDatabase(env['DATABASE_URL'] as string, env[databaseVariableOf(service)] as string);
}

/** Runs work on a client of a service's database in the suite's own stack, ended after it. */
export async function inDatabase<T>(service: ServiceName, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrlOf(service) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
