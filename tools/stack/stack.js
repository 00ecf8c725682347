// Starts and stops a whole system (database server, Kafka, Zipkin if asked, the six apps) for `npm start`
// (the "dev" instance) and the test suites (the "test" instance). Plain Node so it runs
// before anything is built.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { APP_MALLOC_ENVIRONMENT, APP_NODE_FLAGS } = require('./app-node-flags');
const { ROOT, APPS, instanceNamed, portOf, instanceVariables, databasesOf } = require('./instances');
const { assertAppPortsFree } = require('./ports');
const postgres = require('./postgres');
const kafkaPrincipals = require('../kafka/principals');

const KAFKA_SCRIPT = path.join(ROOT, 'tools', 'kafka', 'kafka.sh');
const ZIPKIN_SCRIPT = path.join(ROOT, 'tools', 'zipkin', 'zipkin.sh');
// Longer than the gateway's own wait for a service's /health (SERVICE_PROBE_TIMEOUT_MS), so a slow
// service is seen in the gateway's answer rather than as a gateway that did not answer.
const HEALTH_ANSWER_WAIT_MS = 5000;
// Services first, the gateway last: it reports healthy only when they are.
const START_ORDER = [...APPS.filter((app) => app !== 'api-gateway'), 'api-gateway'];

function log(message) {
  process.stderr.write(`[stack] ${message}\n`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

async function waitForExit(pids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  return pids.filter(alive);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/** Like `run`, without blocking: resolves when the command succeeded, rejects when it failed. */
function runInBackground(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed with ${signal ? `signal ${signal}` : `exit code ${code}`}`));
    });
  });
}

/** Builds the six apps (from the Nx cache when it can), with `extraEnv` added to this process's environment. */
function buildApps(extraEnv = {}) {
  log('building the six apps');
  const args = ['nx', 'run-many', '-t', 'build', '--projects', APPS.join(','), '--output-style', 'static'];
  // Nx otherwise starts a worker process per plugin (six here), each loading Nx again: about 2.5 s
  // of CPU taken from Kafka's start, which runs meanwhile. Our plugins are Nx's own.
  return runInBackground('npx', args, { env: { ...process.env, NX_ISOLATE_PLUGINS: 'false', ...extraEnv } });
}

/** Whether the app at `url` answers its /health with 200 within HEALTH_ANSWER_WAIT_MS. */
async function answersHealthy(url) {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(HEALTH_ANSWER_WAIT_MS) })).ok;
  } catch {
    return false;
  }
}

/** One instance's stack; every file it keeps is under the instance's own state directory. */
function createStack(instanceName, baseEnv = process.env) {
  const instance = instanceNamed(instanceName);
  const logDir = path.join(instance.stateDir, 'logs');
  const pidFile = path.join(instance.stateDir, 'apps.json');
  const databaseFile = path.join(instance.stateDir, 'database.json');
  const externalKafka = baseEnv.KAFKA_BROKERS;
  const kafkaEnv = {
    ...baseEnv,
    KAFKA_PORT: String(instance.kafkaPort),
    KAFKA_TLS_PORT: String(instance.kafkaTlsPort),
    KAFKA_STATE_DIR: instance.kafkaStateDir,
  };

  function kafka(command) {
    run('bash', [KAFKA_SCRIPT, command], { env: kafkaEnv });
  }

  function kafkaRunning() {
    return spawnSync('bash', [KAFKA_SCRIPT, 'status'], { cwd: ROOT, stdio: 'ignore', env: kafkaEnv }).status === 0;
  }

  /** Starts Kafka unless KAFKA_BROKERS names a cluster; returns whether this call started it. */
  function startKafka() {
    if (externalKafka) {
      log(`using the Kafka cluster at ${externalKafka}`);
      return false;
    }
    const wasRunning = kafkaRunning();
    // A run with fresh data starts from empty topics, as its databases are empty too.
    if (instance.freshData && !wasRunning) kafka('reset');
    kafka('start');
    return !wasRunning;
  }

  function stopKafka() {
    if (!externalKafka) kafka('stop');
  }

  const zipkinEnv = { ...baseEnv, ZIPKIN_PORT: String(instance.zipkinPort), ZIPKIN_STATE_DIR: instance.zipkinStateDir };
  const zipkinUrl = `http://127.0.0.1:${instance.zipkinPort}`;

  function zipkin(command) {
    run('bash', [ZIPKIN_SCRIPT, command], { env: zipkinEnv });
  }

  function zipkinRunning() {
    return spawnSync('bash', [ZIPKIN_SCRIPT, 'status'], { cwd: ROOT, stdio: 'ignore', env: zipkinEnv }).status === 0;
  }

  /** Starts this instance's Zipkin; returns whether this call started it. */
  function startZipkin() {
    const wasRunning = zipkinRunning();
    zipkin('start');
    return !wasRunning;
  }

  /**
   * Where the apps send spans: this instance's Zipkin while it runs, unless the caller names an
   * exporter endpoint of their own. Nothing otherwise, and the apps do not trace.
   */
  function tracingVariables() {
    if (baseEnv.OTEL_EXPORTER_ZIPKIN_ENDPOINT || baseEnv.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || !zipkinRunning()) return {};
    return { OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkinUrl}/api/v2/spans` };
  }

  /** The Zipkin UI showing the apps' traces, when they send them to this instance's Zipkin. */
  function tracesUrl() {
    return tracingVariables().OTEL_EXPORTER_ZIPKIN_ENDPOINT ? `${zipkinUrl}/zipkin/` : undefined;
  }

  function readDatabase() {
    try {
      return JSON.parse(fs.readFileSync(databaseFile, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Picks (or starts) the database server; a fresh-data instance drops its databases first. */
  async function startDatabase() {
    const server = await postgres.ensureServer(instance.embeddedPostgres, baseEnv, log);
    if (instance.freshData) await postgres.dropDatabases(server.url, databasesOf(instance));
    fs.mkdirSync(instance.stateDir, { recursive: true });
    fs.writeFileSync(databaseFile, JSON.stringify(server, null, 2));
    log(`database server ${server.embedded ? '(embedded) ' : ''}at ${server.url}`);
    return server;
  }

  async function stopDatabase() {
    const server = readDatabase();
    if (server && instance.freshData) await postgres.dropDatabases(server.url, databasesOf(instance)).catch(() => undefined);
    if (server && server.embedded) await postgres.stopEmbedded(instance.embeddedPostgres);
    fs.rmSync(databaseFile, { force: true });
  }

  /** The environment the apps run with: the caller's, this instance's ports and names, its database server. */
  function environment(extra = {}) {
    const server = readDatabase();
    return {
      ...baseEnv,
      ...tracingVariables(),
      ...instanceVariables(instance),
      ...(externalKafka ? {} : { KAFKA_BROKERS: `127.0.0.1:${instance.kafkaPort}` }),
      ...(server ? { DATABASE_URL: server.url } : {}),
      // Yours is for `npm start`'s gateway: the other instances' would take the same port.
      ...(instance.portOffset === 0 ? {} : { MANAGEMENT_PORT: undefined }),
      ...extra,
    };
  }

  /**
   * A Kafka principal's SASL variables: its development credentials on this instance's broker.
   * With KAFKA_BROKERS naming a cluster, the caller's KAFKA_SASL_* are that cluster's (none if unset).
   */
  function kafkaCredentials(principal) {
    const local = kafkaPrincipals.environmentOf(principal, instance.kafkaPort);
    if (!externalKafka) return local;
    return Object.fromEntries(
      Object.keys(local)
        .filter((name) => baseEnv[name] !== undefined)
        .map((name) => [name, baseEnv[name]]),
    );
  }

  /** The same credentials as kafkajs SASL options; undefined without a username (a cluster without SASL). */
  function kafkaSasl(principal) {
    const { KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD } = kafkaCredentials(principal);
    if (!KAFKA_SASL_USERNAME) return undefined;
    return { mechanism: KAFKA_SASL_MECHANISM ?? 'scram-sha-512', username: KAFKA_SASL_USERNAME, password: KAFKA_SASL_PASSWORD };
  }

  /**
   * The variables that point an app at this instance's TLS listener (SASL_SSL, its certificate
   * signed by a CA kafka.sh made for the broker); none with KAFKA_BROKERS naming a cluster.
   */
  function kafkaTlsEnvironment() {
    if (externalKafka) return undefined;
    return {
      KAFKA_BROKERS: `127.0.0.1:${instance.kafkaTlsPort}`,
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: path.join(instance.kafkaStateDir, 'tls', 'ca.pem'),
    };
  }

  /** One app's environment: everyone's, plus its own Kafka principal's credentials if it has one. */
  function appEnvironment(app, extra) {
    const ownPrincipal = !externalKafka && kafkaPrincipals.principalNames().includes(app);
    return { ...environment(extra), ...(ownPrincipal ? kafkaCredentials(app) : {}) };
  }

  function readPids() {
    try {
      return JSON.parse(fs.readFileSync(pidFile, 'utf8'));
    } catch {
      return {};
    }
  }

  function writePids(pids) {
    fs.mkdirSync(instance.stateDir, { recursive: true });
    fs.writeFileSync(pidFile, JSON.stringify(pids, null, 2));
  }

  /** Stops every app this instance started (also ones left by an earlier run that died). */
  async function stopApps() {
    const pids = Object.values(readPids()).filter(alive);
    for (const pid of pids) signalGroup(pid, 'SIGTERM');
    const left = await waitForExit(pids, 15000);
    for (const pid of left) signalGroup(pid, 'SIGKILL');
    await waitForExit(left, 5000);
    fs.rmSync(pidFile, { force: true });
    if (pids.length > 0) log(`stopped ${pids.length} app(s)`);
  }

  /** Where each app started by this process answers /health, when not on its own port. */
  const managementUrls = new Map();

  /** Where an app answers /health and /metrics: the gateway on its management port when MANAGEMENT_PORT moved them there. */
  function managementUrlOf(app) {
    return managementUrls.get(app) ?? urlOf(app);
  }

  /** Starts one built app as a child process in its own process group, logging to its file. */
  function spawnApp(app, env, logFlags, logName = app) {
    if (app === 'api-gateway' && env.MANAGEMENT_PORT) managementUrls.set(logName, `http://127.0.0.1:${env.MANAGEMENT_PORT}`);
    else managementUrls.delete(logName);
    const main = path.join(ROOT, 'dist', 'apps', app, 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build the apps first`);
    fs.mkdirSync(logDir, { recursive: true });
    const out = fs.openSync(path.join(logDir, `${logName}.log`), logFlags);
    // STACK_NODE_FLAGS: extra node flags (e.g. --cpu-prof) that NODE_OPTIONS does not accept; they
    // come after the heap budget, so they can also change it.
    // No --enable-source-maps by default: see "Apps run without source maps" in docs/decisions.md.
    const extraFlags = (env.STACK_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...extraFlags, main], {
      cwd: ROOT,
      env: { NODE_ENV: 'production', ...APP_MALLOC_ENVIRONMENT, ...env },
      stdio: ['ignore', out, out],
      detached: true,
    });
    child.unref();
    fs.closeSync(out);
    return child.pid;
  }

  async function startApps(extraEnv = {}) {
    await stopApps();
    await assertAppPortsFree(instance, START_ORDER, baseEnv);
    const pids = {};
    // Recorded as each starts, so an app that cannot start (not built, say) leaves none running unrecorded.
    for (const app of START_ORDER) {
      pids[app] = spawnApp(app, appEnvironment(app, extraEnv), 'w');
      writePids(pids);
    }
    return pids;
  }

  function urlOf(app) {
    return `http://127.0.0.1:${portOf(instance, app, baseEnv)}`;
  }

  async function waitHealthy(timeoutMs = 120000, apps = START_ORDER) {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(apps);
    while (pending.size > 0) {
      for (const app of [...pending]) {
        const pid = readPids()[app];
        if (pid && !alive(pid)) throw new Error(`${app} exited during start; its log:\n${tail(app)}`);
        if (await answersHealthy(managementUrlOf(app))) pending.delete(app);
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        throw new Error(`not healthy after ${timeoutMs} ms: ${[...pending].join(', ')}\n${[...pending].map((app) => tail(app)).join('\n')}`);
      }
      await sleep(500);
    }
    log(apps.length === START_ORDER.length ? 'all six apps are healthy' : `${apps.join(', ')} healthy`);
  }

  /** Stops one running app as `stopApps` would (SIGTERM to its group) and waits for it to exit. */
  async function stopApp(app) {
    const pid = readPids()[app];
    signalGroup(pid, 'SIGTERM');
    const left = await waitForExit([pid], 15000);
    if (left.length > 0) throw new Error(`${app} did not stop within 15 s; its log:\n${tail(app)}`);
  }

  /** Kills one app at once (SIGKILL to its group), as a crash would, and waits until it is gone. */
  async function killApp(app) {
    const pid = readPids()[app];
    signalGroup(pid, 'SIGKILL');
    const left = await waitForExit([pid], 15000);
    if (left.length > 0) throw new Error(`${app} survived SIGKILL for 15 s`);
  }

  /** Starts one app again, recorded where `stopApps` finds it, and waits until it is healthy. */
  async function restartApp(app, extraEnv = {}) {
    writePids({ ...readPids(), [app]: spawnApp(app, appEnvironment(app, extraEnv), 'a') });
    await waitHealthy(60000, [app]);
  }

  /**
   * Starts a second instance of an app beside the first: its port 50 above, its own log, the
   * same database and consumer group. Stopped with the others; `killApp(name)` kills it alone.
   */
  async function startSecondInstance(app, extraEnv = {}) {
    const name = `${app}-2`;
    const port = portOf(instance, app, baseEnv) + 50;
    const portVariable = `${app.toUpperCase().replace(/-/g, '_')}_PORT`;
    const pid = spawnApp(app, appEnvironment(app, { ...extraEnv, [portVariable]: String(port) }), 'w', name);
    writePids({ ...readPids(), [name]: pid });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60000;
    for (;;) {
      if (!alive(pid)) throw new Error(`${name} exited during start; its log:\n${tail(name)}`);
      if (await answersHealthy(managementUrls.get(name) ?? url)) return { name, url };
      if (Date.now() > deadline) throw new Error(`${name} not healthy after 60 s:\n${tail(name)}`);
      await sleep(500);
    }
  }

  /** Freezes an app (it keeps its port but answers nothing) or thaws it. */
  function freezeApp(app, frozen) {
    signalGroup(readPids()[app], frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  function deadApps() {
    return Object.entries(readPids())
      .filter(([, pid]) => !alive(pid))
      .map(([app]) => app);
  }

  function tail(app, lines = 30) {
    try {
      const text = fs
        .readFileSync(path.join(logDir, `${app}.log`), 'utf8')
        .trimEnd()
        .split('\n');
      return `--- ${app} ---\n${text.slice(-lines).join('\n')}`;
    } catch {
      return `--- ${app}: no log ---`;
    }
  }

  /**
   * Everything up: database, Kafka, Zipkin if asked, apps. Returns what it started, for `stopAll`.
   * With `build`, the apps are built while the database and Kafka start (`buildEnv` is added to the
   * build's environment).
   */
  async function startAll({ build = false, buildEnv = {}, extraEnv = {}, zipkin = false } = {}) {
    // Before the build and the broker, so a taken port is said at once, not minutes later.
    await stopApps();
    await assertAppPortsFree(instance, START_ORDER, baseEnv);
    const started = { kafka: false, zipkin: false };
    // Settles rather than rejects: a failed build is thrown once the database and Kafka steps are done.
    const building = build
      ? buildApps(buildEnv).then(
          () => undefined,
          (error) => error,
        )
      : Promise.resolve();
    try {
      await startDatabase();
      started.kafka = startKafka();
      if (zipkin) started.zipkin = startZipkin();
      const buildError = await building;
      if (buildError) throw buildError;
      await startApps(extraEnv);
      await waitHealthy();
    } catch (error) {
      await building;
      await stopAll(started);
      throw error;
    }
    return started;
  }

  /** Stops the apps, then Kafka and Zipkin if `started` says this run started them, then the database. */
  async function stopAll(started = { kafka: true, zipkin: true }) {
    await stopApps();
    if (started.kafka) stopKafka();
    if (started.zipkin) zipkin('stop');
    await stopDatabase();
  }

  return {
    instance,
    logDir,
    portOf: (app) => portOf(instance, app, baseEnv),
    urlOf,
    managementUrlOf,
    environment,
    kafkaSasl,
    kafkaTlsEnvironment,
    startDatabase,
    stopDatabase,
    startKafka,
    stopKafka,
    kafka,
    kafkaRunning,
    zipkin,
    zipkinUrl,
    tracesUrl,
    startApps,
    stopApps,
    stopApp,
    killApp,
    restartApp,
    startSecondInstance,
    freezeApp,
    waitHealthy,
    deadApps,
    tail,
    startAll,
    stopAll,
  };
}

module.exports = { APPS, buildApps, createStack };
