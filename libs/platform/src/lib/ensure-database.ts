import { Client } from 'pg';
import { isPostgresError, PostgresErrorCode } from './postgres';
import { withTimeout } from './with-timeout';

/**
 * How long a starting service waits for its database server to accept a connection and answer:
 * a server that drops packets (a wrong host, a firewall) would otherwise hold the start for
 * ever, saying nothing.
 */
const SERVER_ANSWER_TIMEOUT_MS = 10_000;

/** Creates the service's database on the server if it is missing, so a fresh server needs no setup. */
export async function ensureDatabaseExists(serverUrl: string, database: string, timeoutMs = SERVER_ANSWER_TIMEOUT_MS): Promise<void> {
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres'), query_timeout: timeoutMs });
  const connecting = client.connect();
  try {
    await withTimeout(connecting, timeoutMs, 'no answer');
  } catch (error) {
    connecting.catch(() => undefined);
    client.connection.stream.destroy();
    throw new Error(`the database server at ${withoutPassword(serverUrl)} could not be reached: ${(error as Error).message}`);
  }
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

function withoutPassword(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.password) url.password = '***';
  return url.toString();
}
