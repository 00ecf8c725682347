// `npm run bench -- --profile`: CPU profiles of the gateway and the services on the hot paths,
// taken under the benchmark's read load and order load, and a summary of where their time goes.
const fs = require('node:fs');
const path = require('node:path');
const { pidsOf } = require('./memory');
const { summaryOf } = require('./profile-summary');

const PROFILED_APPS = ['api-gateway', 'pet-service', 'order-service', 'inventory-service'];
const PROFILER = path.join(__dirname, 'cpu-profiler.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function toggleProfilers(stack) {
  const pids = pidsOf(stack);
  for (const app of PROFILED_APPS) process.kill(pids[app], 'SIGWINCH');
}

async function waitForFile(file) {
  const deadline = Date.now() + 30000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await sleep(100);
  }
  // Written in one call; give it a moment to finish a large profile.
  await sleep(500);
}

/**
 * Restarts the profiled apps with the profiler preloaded, runs each load once to warm up and
 * once profiled, and writes <app>-<load>.cpuprofile and summary.txt into `directory`. A load
 * is { prepare, run }: only `run` is profiled.
 */
async function profileLoads({ stack, extraEnv, loads, directory, log }) {
  fs.rmSync(directory, { recursive: true, force: true });
  const profilerEnv = { ...extraEnv, STACK_NODE_FLAGS: `--require ${PROFILER}`, BENCH_PROFILE_DIR: directory };
  for (const app of PROFILED_APPS) {
    await stack.stopApp(app);
    await stack.restartApp(app, profilerEnv);
  }
  let part = 0;
  for (const [label, { prepare, run }] of Object.entries(loads)) {
    log(`profiling under the ${label} load`);
    await prepare();
    await run();
    await prepare();
    toggleProfilers(stack);
    await run();
    toggleProfilers(stack);
    part += 1;
    for (const app of PROFILED_APPS) {
      const written = path.join(directory, `${app}-${part}.cpuprofile`);
      await waitForFile(written);
      fs.renameSync(written, path.join(directory, `${app}-${label}.cpuprofile`));
    }
  }
  for (const app of PROFILED_APPS) {
    await stack.stopApp(app);
    await stack.restartApp(app, extraEnv);
  }
  const files = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.cpuprofile'))
    .sort();
  const summary = files.map((file) => summaryOf(path.join(directory, file))).join('');
  fs.writeFileSync(path.join(directory, 'summary.txt'), summary);
  return path.join(directory, 'summary.txt');
}

module.exports = { profileLoads };
