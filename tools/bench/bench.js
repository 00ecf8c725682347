// `npm run bench`: starts the bench stack (ports 3200–3205, its own broker and databases) unless
// it runs, seeds data through the gateway, drives load with autocannon (the read path also with
// tracing into the bench's own Zipkin, for its cost) and writes
// bench/results/latest.json and latest.md. Every figure is the median of its rounds; targets
// measured together are interleaved within each round, so their ratios share conditions.
// Options: --smoke (short rounds, small counts: CI); --no-build (the apps in dist/ are current:
// time the start without the build step); --fresh (also time starts as after a fresh clone: no
// dist/, nothing from the Nx cache); --profile (CPU profiles under load, see profile.js).
// Exits non-zero only when the benchmark itself broke; a missed target is reported.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('../stack/instances');
const { buildApps, createStack } = require('../stack/stack');
const { createApi } = require('./api');
const { createCpuMeter } = require('./cpu');
const { createGatewayIdentity } = require('./gateway-identity');
const { pidsOf, residentByApp, peakSampler } = require('./memory');
const { median } = require('./stats');
const { profileLoads } = require('./profile');
const { reportOf } = require('./report');
const scenarios = require('./scenarios');
const { measureTracingCost } = require('./tracing-cost');

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const BASELINE_PORT = 3210;
const STORE_OWNER = { username: 'bench-store-owner', password: 'bench-store-owner-password' };
const GATEWAY_IDENTITY = createGatewayIdentity();
/**
 * The store owner the bench seeds with, the gateway key it signs its direct calls with, and room
 * for the load it drives from one address: the requests (thousands a second), the connections
 * (a hundred orders at once), the customers it signs up and the orders it places per customer
 * (about a hundred in a full run, none of them decided).
 */
const APP_ENVIRONMENT = {
  STORE_OWNER_USERNAME: STORE_OWNER.username,
  STORE_OWNER_PASSWORD: STORE_OWNER.password,
  MAX_PLACED_ORDERS_PER_USER: '1000000',
  SIGN_UP_MAX_PER_CLIENT: '1000000',
  REQUESTS_MAX_PER_CLIENT: '1000000',
  CONNECTIONS_MAX_PER_CLIENT: '1000000',
  ...GATEWAY_IDENTITY.environment,
};

const SETTINGS = {
  full: {
    rounds: 3,
    roundSeconds: 10,
    warmUpSeconds: 3,
    readSlices: 5,
    readConnections: 16,
    orderConnections: 32,
    fixedOrderRate: 100,
    lagSampleEvery: 5,
    lagPollMs: 5,
    findByStatusPets: 1000,
    customers: 100,
    raceClients: 100,
    startRounds: 3,
    profileSeconds: 15,
    restartApps: ['user-service', 'pet-service', 'photo-service', 'order-service', 'inventory-service', 'api-gateway'],
  },
  smoke: {
    rounds: 3,
    roundSeconds: 1,
    warmUpSeconds: 0.5,
    readSlices: 1,
    readConnections: 8,
    orderConnections: 16,
    fixedOrderRate: 100,
    lagSampleEvery: 2,
    lagPollMs: 5,
    findByStatusPets: 100,
    customers: 10,
    raceClients: 100,
    startRounds: 1,
    profileSeconds: 2,
    restartApps: ['pet-service'],
  },
};

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Figures as lists of per-round values, keyed by id. */
function createFigures() {
  const figures = {};
  return {
    add(id, value) {
      (figures[id] ??= []).push(value);
    },
    addAll(prefix, values) {
      for (const [key, value] of Object.entries(values)) this.add(`${prefix}.${key}`, value);
    },
    all: () => figures,
  };
}

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/**
 * A build as a fresh clone's, with nothing from the Nx cache. The cache is skipped, not cleared:
 * it lives under ~/.nx/<repository id>, shared by every clone and worktree of the repository on
 * this machine, and `nx reset` would empty it for everyone.
 */
const SKIP_NX_CACHE = { NX_SKIP_NX_CACHE: 'true' };

/** Times the start command (build, then everything up) `rounds` times, stopping what runs first; the stack stays up after the last. */
async function timeStarts(stack, figures, rounds, { kind, running }) {
  let started = running;
  // A warm start finds every app built in the Nx cache and Kafka's jars downloaded, even on the bench's first run.
  if (kind === 'warm') {
    await buildApps();
    stack.kafka('fetch');
  }
  for (let round = 1; round <= rounds; round++) {
    if (started) await stack.stopAll(started);
    log(`start round ${round}/${rounds} (${kind})`);
    if (kind === 'fresh') fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
    const begin = performance.now();
    started = await stack.startAll({
      build: kind !== 'noBuild',
      buildEnv: kind === 'fresh' ? SKIP_NX_CACHE : {},
      extraEnv: APP_ENVIRONMENT,
    });
    figures.add(`start.${kind}`, performance.now() - begin);
  }
  return started;
}

function startBaseline(stack) {
  const environment = stack.environment();
  const databaseUrl = new URL(environment.DATABASE_URL);
  databaseUrl.pathname = `/${environment.PET_SERVICE_DATABASE}`;
  return spawn(process.execPath, [path.join(__dirname, 'baseline-server.js'), String(BASELINE_PORT), databaseUrl.toString()], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/**
 * Resolves once the baseline server says it listens. Rejects when it exits first: on a port that
 * another process holds (a baseline left by a benchmark that was killed), that process would
 * answer the baseline's reads, and this one's CPU time would read zero.
 */
function listening(baseline, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the baseline server did not listen on ${BASELINE_PORT} within ${timeoutMs} ms`)), timeoutMs);
    baseline.on('message', (message) => {
      if (message !== 'listening') return;
      clearTimeout(timer);
      resolve();
    });
    baseline.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the baseline server exited with code ${code} instead of listening on ${BASELINE_PORT}; is another process on that port?`));
    });
  });
}

function machine() {
  return {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((load) => Number(load.toFixed(2))),
  };
}

async function main() {
  const mode = process.argv.includes('--smoke') ? 'smoke' : 'full';
  const fresh = process.argv.includes('--fresh');
  const noBuild = process.argv.includes('--no-build');
  const profile = process.argv.includes('--profile');
  const settings = SETTINGS[mode];
  const stack = createStack('bench');
  const figures = createFigures();
  const context = { machine: machine(), mode, startedAt: new Date().toISOString() };
  let started;
  let baseline;
  const cleanUp = async () => {
    baseline?.kill('SIGTERM');
    if (started) await stack.stopAll(started);
    stack.zipkin('stop');
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    if (await answers(`${stack.urlOf('api-gateway')}/health`)) {
      if (Object.keys(pidsOf(stack)).length === 0) {
        throw new Error(
          `a bench stack answers on ${stack.urlOf('api-gateway')}, but this checkout did not start it (${path.relative(ROOT, stack.instance.stateDir)} has no record of it): ` +
            'stop it from the checkout that started it (node tools/stack/stop.js bench), then run the benchmark again',
        );
      }
      // Its database, Kafka and Zipkin stay as they are; the apps start again with the bench's store owner and gateway key.
      log(
        'the bench stack is running: using it, its apps restarted with the bench settings (start times are measured only when the bench starts it)',
      );
      await stack.startApps(APP_ENVIRONMENT);
      await stack.waitHealthy();
    } else {
      if (fresh) started = await timeStarts(stack, figures, settings.startRounds, { kind: 'fresh' });
      started = await timeStarts(stack, figures, settings.startRounds, { kind: noBuild ? 'noBuild' : 'warm', running: started });
    }

    baseline = startBaseline(stack);
    const baselineUrl = `http://127.0.0.1:${BASELINE_PORT}`;
    await listening(baseline);

    const cpu = createCpuMeter(stack, { baseline: baseline.pid });
    const api = createApi(stack.urlOf('api-gateway'));
    const ownerToken = await api.login(STORE_OWNER.username, STORE_OWNER.password);
    log(`seeding ${settings.customers} customers and ${settings.findByStatusPets} sold pets with a category and two tags`);
    const customers = await scenarios.signUpCustomers(api, settings.customers);
    // Sold, because the bench's orders leave their pets pending: findByStatus=sold answers exactly these.
    const soldPets = await api.createPets(ownerToken, settings.findByStatusPets, {
      status: 'available',
      photoUrls: ['https://example.com/bench.jpg'],
      category: { name: 'bench-category' },
      tags: [{ name: 'bench-tag-a' }, { name: 'bench-tag-b' }],
    });
    await api.sell(ownerToken, customers, soldPets);

    await new Promise((resolve) => setTimeout(resolve, mode === 'smoke' ? 500 : 3000));
    const idle = [];
    for (let sample = 0; sample < 3; sample++) {
      idle.push(residentByApp(stack));
      await new Promise((resolve) => setTimeout(resolve, mode === 'smoke' ? 200 : 1000));
    }
    for (const app of Object.keys(idle[0])) figures.add(`memory.${app}.idle`, median(idle.map((sample) => sample[app])));

    const targets = {
      baseline: baselineUrl,
      direct: stack.urlOf('pet-service'),
      gateway: stack.urlOf('api-gateway'),
      inventory: stack.urlOf('inventory-service'),
    };
    const orders = scenarios.createOrderBench({
      api,
      ownerToken,
      customers,
      settings,
      targets,
      log,
      ordersPlacedBefore: soldPets.length,
      identity: GATEWAY_IDENTITY,
      storeOwner: STORE_OWNER.username,
      cpu,
    });
    await scenarios.warmUp({ settings, targets, soldPets, orders, log, identity: GATEWAY_IDENTITY });

    for (let round = 1; round <= settings.rounds; round++) {
      log(`round ${round}/${settings.rounds}`);
      const sampler = peakSampler(stack);
      await scenarios.readRound({ settings, targets, soldPets, figures, identity: GATEWAY_IDENTITY, cpu });
      await orders.round(figures);
      const peaks = sampler.stop();
      for (const [app, mb] of Object.entries(peaks)) figures.add(`memory.${app}.load`, mb);
    }

    await measureTracingCost({ stack, settings, targets, soldPets, figures, extraEnv: APP_ENVIRONMENT, log });

    for (let round = 1; round <= settings.rounds; round++) {
      log(`restart round ${round}/${settings.rounds}`);
      for (const app of settings.restartApps) {
        figures.addAll(`restart.${app}`, await scenarios.timeRestart(stack, app, APP_ENVIRONMENT));
      }
    }

    writeReport(context, settings, figures);

    // Last, so a broken profile costs no figure.
    if (profile) {
      const gatewayRead = scenarios.readTargets(targets, soldPets, GATEWAY_IDENTITY).gateway;
      const loads = {
        read: {
          prepare: async () => undefined,
          run: () => scenarios.readLoad('gateway', gatewayRead, settings.readConnections, settings.profileSeconds),
        },
        orders: { prepare: () => orders.stock(settings.profileSeconds), run: () => orders.saturate(settings.profileSeconds) },
      };
      const summary = await profileLoads({ stack, extraEnv: APP_ENVIRONMENT, loads, directory: path.join(RESULTS_DIR, 'profiles'), log });
      log(`profiles and their summary: ${path.relative(ROOT, summary)}`);
    }
  } catch (error) {
    log(`the benchmark broke: ${error.stack ?? error}`);
    await cleanUp();
    process.exit(1);
  }
  await cleanUp();
}

function writeReport(context, settings, figures) {
  const { json, markdown } = reportOf({ ...context, loadAverageAtEnd: os.loadavg().map((load) => Number(load.toFixed(2))) }, settings, figures.all());
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), markdown);
  process.stdout.write(`\n${markdown}\nWritten to ${path.relative(ROOT, RESULTS_DIR)}/latest.json and latest.md\n`);
}

void main();
