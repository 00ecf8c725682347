import { Client } from 'pg';
import { isPostgresError, PostgresErrorCode } from './postgres';

/** Creates the service's database on the server if it is missing, so a fresh server needs no setup. */
export async function ensureDatabaseExists(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      // A service started twice at once may lose the race to create it.
      await client.query(`CREATE DATABASE "${database}"`).catch((error: unknown) => {
        if (!isPostgresError(error, PostgresErrorCode.DuplicateDatabase, PostgresErrorCode.UniqueViolation)) throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
