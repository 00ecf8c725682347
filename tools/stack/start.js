// `npm start`: the database server, Kafka, the six apps and their health; Ctrl-C stops all of it.
// `npm start -- --zipkin` also starts Zipkin and has the apps send it their traces (so does a
// Zipkin already started with `npm run zipkin:start`).
const { createStack } = require('./stack');

const stack = createStack('dev');

async function main() {
  let started;
  let stopping = false;
  let watcher;
  const shutDown = async (code) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watcher);
    process.stderr.write('\n[stack] stopping…\n');
    if (started) await stack.stopAll(started);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutDown(0));
  process.on('SIGTERM', () => void shutDown(0));
  try {
    // The app logs a developer tails from a terminal are easier read as lines than as JSON.
    const logFormat = process.stdout.isTTY && !process.env.LOG_FORMAT ? { LOG_FORMAT: 'pretty' } : {};
    started = await stack.startAll({
      build: !process.argv.includes('--no-build'),
      extraEnv: logFormat,
      zipkin: process.argv.includes('--zipkin'),
    });
  } catch (error) {
    process.stderr.write(`[stack] ${error.message}\n`);
    await shutDown(1);
    return;
  }
  const gateway = stack.urlOf('api-gateway');
  const management = stack.managementUrlOf('api-gateway');
  const traces = stack.tracesUrl() ? `  Traces:  ${stack.tracesUrl()}\n` : '';
  process.stdout.write(
    `\nPetstore is up.\n  API:     ${gateway}/api/v3\n  Swagger: ${gateway}/docs\n  Health:  ${management}/health\n` +
      `  Metrics: ${management}/metrics (and /metrics on each service)\n${traces}` +
      `  Logs:    ${stack.logDir}\nPress Ctrl-C to stop everything.\n`,
  );
  watcher = watchApps();
}

/** Keeps this process (and so Ctrl-C) alive, and says so when an app dies. */
function watchApps() {
  const reported = new Set();
  return setInterval(() => {
    for (const app of stack.deadApps()) {
      if (reported.has(app)) continue;
      reported.add(app);
      process.stderr.write(`[stack] ${app} exited; its log:\n${stack.tail(app)}\n`);
    }
  }, 2000);
}

void main();
