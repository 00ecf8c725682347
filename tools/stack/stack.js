// Starts and stops the whole system (Kafka, then the six apps) for `npm start` and the
// end-to-end suite. Plain Node so it runs before anything is built.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const catalog = require('../../libs/platform/src/lib/service-catalog.json');

const ROOT = path.resolve(__dirname, '../..');
const STATE_DIR = path.join(ROOT, '.cache', 'stack');
const LOG_DIR = path.join(STATE_DIR, 'logs');
const PID_FILE = path.join(STATE_DIR, 'apps.json');
const KAFKA_SCRIPT = path.join(ROOT, 'tools', 'kafka', 'kafka.sh');
const APPS = Object.keys(catalog);
// Services first, the gateway last: it reports healthy only when they are.
const START_ORDER = [...APPS.filter((app) => app !== 'api-gateway'), 'api-gateway'];

function log(message) {
  process.stderr.write(`[stack] ${message}\n`);
}

function envPrefix(app) {
  return app.toUpperCase().replace(/-/g, '_');
}

function portOf(app, env = process.env) {
  return Number(env[`${envPrefix(app)}_PORT`] || catalog[app].port);
}

function healthUrlOf(app, env = process.env) {
  return `http://127.0.0.1:${portOf(app, env)}/health`;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function kafkaRunning() {
  return spawnSync('bash', [KAFKA_SCRIPT, 'status'], { cwd: ROOT, stdio: 'ignore' }).status === 0;
}

/** Starts Kafka unless KAFKA_BROKERS names a cluster; returns whether this call started it. */
function startKafka() {
  if (process.env.KAFKA_BROKERS) {
    log(`using the Kafka cluster at ${process.env.KAFKA_BROKERS}`);
    return false;
  }
  const wasRunning = kafkaRunning();
  run('bash', [KAFKA_SCRIPT, 'start']);
  return !wasRunning;
}

function stopKafka() {
  run('bash', [KAFKA_SCRIPT, 'stop']);
}

function buildApps() {
  log('building the six apps');
  run('npx', ['nx', 'run-many', '-t', 'build', '--projects', APPS.join(','), '--output-style', 'static']);
}

function readPids() {
  try {
    return JSON.parse(fs.readFileSync(PID_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  return pids.filter(alive);
}

/** Stops every app this tool started (also ones left by an earlier run that died). */
async function stopApps() {
  const pids = Object.values(readPids()).filter(alive);
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const left = await waitForExit(pids, 15000);
  for (const pid of left) signalGroup(pid, 'SIGKILL');
  await waitForExit(left, 5000);
  fs.rmSync(PID_FILE, { force: true });
  if (pids.length > 0) log(`stopped ${pids.length} app(s)`);
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Starts the six built apps as child processes, each in its own process group, logging to files. */
async function startApps(env = process.env) {
  await stopApps();
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const pids = {};
  for (const app of START_ORDER) {
    const main = path.join(ROOT, 'dist', 'apps', app, 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build the apps first`);
    const out = fs.openSync(path.join(LOG_DIR, `${app}.log`), 'w');
    const child = spawn(process.execPath, ['--enable-source-maps', main], {
      cwd: ROOT,
      env: { NODE_ENV: 'production', ...env },
      stdio: ['ignore', out, out],
      detached: true,
    });
    child.unref();
    pids[app] = child.pid;
  }
  fs.mkdirSync(STATE_DIR, { recursive: true });
  fs.writeFileSync(PID_FILE, JSON.stringify(pids, null, 2));
  return pids;
}

async function waitHealthy(timeoutMs = 120000, env = process.env) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(START_ORDER);
  while (pending.size > 0) {
    for (const app of [...pending]) {
      const pid = readPids()[app];
      if (pid && !alive(pid)) {
        throw new Error(`${app} exited during start; its log:\n${tail(app)}`);
      }
      try {
        const response = await fetch(healthUrlOf(app, env), { signal: AbortSignal.timeout(3000) });
        if (response.ok) pending.delete(app);
      } catch {
        // not listening yet
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      throw new Error(`not healthy after ${timeoutMs} ms: ${[...pending].join(', ')}\n${[...pending].map(tail).join('\n')}`);
    }
    await sleep(500);
  }
  log('all six apps are healthy');
}

function deadApps() {
  return Object.entries(readPids())
    .filter(([, pid]) => !alive(pid))
    .map(([app]) => app);
}

function tail(app, lines = 30) {
  try {
    const text = fs.readFileSync(path.join(LOG_DIR, `${app}.log`), 'utf8').trimEnd().split('\n');
    return `--- ${app} ---\n${text.slice(-lines).join('\n')}`;
  } catch {
    return `--- ${app}: no log ---`;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
  APPS,
  LOG_DIR,
  portOf,
  startKafka,
  stopKafka,
  kafkaRunning,
  buildApps,
  startApps,
  stopApps,
  waitHealthy,
  deadApps,
  tail,
};
