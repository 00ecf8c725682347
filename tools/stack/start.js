// `npm start`: Kafka, the six apps, their health; Ctrl-C stops all of it.
const stack = require('./stack');

async function main() {
  const startedKafka = stack.startKafka();
  let stopping = false;
  let watcher;
  const shutDown = async (code) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watcher);
    process.stderr.write('\n[stack] stopping…\n');
    await stack.stopApps();
    if (startedKafka) stack.stopKafka();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutDown(0));
  process.on('SIGTERM', () => void shutDown(0));
  try {
    if (!process.argv.includes('--no-build')) stack.buildApps();
    await stack.startApps();
    await stack.waitHealthy();
  } catch (error) {
    process.stderr.write(`[stack] ${error.message}\n`);
    await shutDown(1);
    return;
  }
  const gateway = `http://127.0.0.1:${stack.portOf('api-gateway')}`;
  process.stdout.write(
    `\nPetstore is up.\n  API:     ${gateway}/api/v3\n  Swagger: ${gateway}/docs\n  Health:  ${gateway}/health\n` +
      `  Logs:    ${stack.LOG_DIR}\nPress Ctrl-C to stop everything.\n`,
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
