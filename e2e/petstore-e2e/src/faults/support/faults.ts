import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServiceName } from '@petstore/platform';
import { Client } from 'pg';
import { eventually } from '../../support/api';
import { databaseUrlOf, inDatabase } from '../../support/databases';
import { SUITE_ENVIRONMENT, withTheDefaultOf } from '../../support/environment';
import { stack } from '../../support/stack';

const run = promisify(execFile);

/**
 * Runs the enclosing describe block's specs with the app restarted at one variable's default
 * (where the suite's environment gives the other specs more room), and restarts it with the
 * suite's environment after them.
 */
export function atTheDefaultOf(app: string, variable: keyof typeof SUITE_ENVIRONMENT): void {
  beforeAll(async () => {
    await stack.stopApp(app);
    await stack.restartApp(app, withTheDefaultOf(variable));
  });

  afterAll(async () => {
    await stack.stopApp(app);
    await stack.restartApp(app, SUITE_ENVIRONMENT);
  });
}

/** Runs `work` on a client of the suite's server, outside the service's database, with that database's name. */
export async function asAdministrator(service: ServiceName, work: (admin: Client, database: string) => Promise<unknown>): Promise<void> {
  const url = new URL(databaseUrlOf(service));
  const database = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await work(admin, database);
  } finally {
    await admin.end();
  }
}

function endSessionsOf(admin: Client, database: string): Promise<unknown> {
  return admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
}

/**
 * Takes a service's database away as a restart of its server would: every connection to it is
 * ended and no new one accepted until `databaseBack`. Only the suite's own database, on whatever
 * server it runs: the fault is injected from outside, the code under test is unchanged.
 */
export function databaseAway(service: ServiceName, away = true): Promise<void> {
  return asAdministrator(service, async (admin, database) => {
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS ${!away}`);
    if (away) await endSessionsOf(admin, database);
  });
}

/**
 * Makes a service's database refuse every change, as a standby does (a former primary after a
 * failover): its sessions are ended, and those opened after are read-only. `readOnly` false
 * makes only sessions opened after that accept changes: those the service opened meanwhile stay
 * read-only, as sessions on a standby do.
 */
export function databaseReadOnly(service: ServiceName, readOnly = true): Promise<void> {
  return asAdministrator(service, async (admin, database) => {
    if (!readOnly) return admin.query(`ALTER DATABASE "${database}" RESET default_transaction_read_only`);
    await admin.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`);
    return endSessionsOf(admin, database);
  });
}

export function databaseBack(service: ServiceName): Promise<void> {
  return databaseAway(service, false);
}

/**
 * Holds an exclusive lock on one of a service's tables until released: every statement that
 * touches the table waits, then fails with a lock timeout, as under a long migration or a stuck
 * transaction elsewhere.
 */
export async function lockTable(service: ServiceName, table: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: databaseUrlOf(service) });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

/**
 * Locks the rows of a service's table that `where` selects (FOR UPDATE) until released: a
 * statement that changes one of them waits, then fails with a lock timeout, as under a
 * transaction elsewhere that holds it.
 */
export async function lockRows(service: ServiceName, table: string, where: string, values: unknown[]): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: databaseUrlOf(service) });
  await client.connect();
  await client.query('BEGIN');
  const { rowCount } = await client.query(`SELECT 1 FROM ${table} WHERE ${where} FOR UPDATE`, values);
  if (!rowCount) throw new Error(`no row of ${service}'s ${table} where ${where} to lock`);
  return async () => {
    await client.query('COMMIT');
    await client.end();
  };
}

/** A statement of a service waiting for a lock: its backend and when it started, which stay the same while it waits. */
export interface LockWait {
  pid: number;
  since: string;
}

/** The statements of the service waiting for a lock now. */
export async function lockWaitsOf(service: ServiceName): Promise<LockWait[]> {
  return inDatabase(service, async (client) => {
    const { rows } = await client.query<LockWait>(
      `SELECT pid, query_start::text AS since FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
      [service],
    );
    return rows;
  });
}

/** The statements of the service waiting for a lock once there is one (such as for what lockTable or lockRows holds). */
export function untilWaitingForLock(service: ServiceName): Promise<LockWait[]> {
  return eventually(
    async () => {
      const waits = await lockWaitsOf(service);
      return waits.length > 0 ? waits : undefined;
    },
    10000,
    `a statement of ${service} to wait for a lock`,
  );
}

export interface HealthAnswer {
  status: number;
  body: {
    status?: string;
    details?: Record<string, { status: string; state?: string; waiting?: unknown[]; slow?: { topic: string; partition: number }[] }>;
  };
}

export async function healthOf(app: string): Promise<HealthAnswer> {
  const response = await fetch(`${stack.urlOf(app)}/health`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as HealthAnswer['body'] };
}

export interface ParkedMessage {
  deadLetterTopic: string;
  message: string;
  topic: string;
  partition: number;
  offset: string;
  group: string;
  eventType: string | null;
  error: string;
  ageSeconds: number;
  replayedAt: string | null;
}

/** The documented dead-letter command, run as a user would, against the suite's broker (`--instance test`, or KAFKA_BROKERS's cluster). */
export async function deadLetters(...args: string[]): Promise<ParkedMessage[]> {
  const { stdout } = await run(process.execPath, ['tools/dead-letters/dead-letters.js', ...args, '--instance', 'test', '--json'], {
    cwd: `${__dirname}/../../../../..`,
  });
  return JSON.parse(stdout) as ParkedMessage[];
}

/** Where each message a group parked sits on its dead-letter topic, in a stable order. */
export async function parkedBy(group: string): Promise<string[]> {
  return (await deadLetters('list', '--group', group)).map((m) => `${m.deadLetterTopic}@${m.message}`).sort();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Restarts, with the suite's environment, an app a case stopped and failed before restarting. */
export async function restartedIfStopped(app: string): Promise<void> {
  if (!(await fetch(`${stack.urlOf(app)}/health`).catch(() => undefined))) await stack.restartApp(app, SUITE_ENVIRONMENT);
}

/** What an app's log file in the suite's stack holds ('' if there is none yet). */
export function logOf(name: string): string {
  const file = join(stack.logDir, `${name}.log`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
