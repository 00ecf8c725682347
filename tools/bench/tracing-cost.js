// The cost of tracing on the read path: GET pet by id through the gateway (gateway, pet-service,
// Postgres) untraced, then with the apps on that path sending every span to the bench's own
// Zipkin, then untraced again. Each traced round is paired with the untraced round before it.
const { readLoad, readTargets } = require('./scenarios');

/** The apps a GET pet by id passes through. */
const READ_PATH_APPS = ['pet-service', 'api-gateway'];

async function restartReadPath(stack, extraEnv) {
  for (const app of READ_PATH_APPS) {
    await stack.stopApp(app);
    await stack.restartApp(app, extraEnv);
  }
}

async function measureTracingCost({ stack, settings, targets, soldPets, figures, extraEnv, log }) {
  const read = readTargets(targets, soldPets).gateway;
  const load = () => readLoad('gateway', read, settings.readConnections, settings.roundSeconds);
  const untraced = [];
  for (let round = 1; round <= settings.rounds; round++) {
    log(`tracing cost: untraced round ${round}/${settings.rounds}`);
    untraced.push(await load());
  }
  // The stack points the apps it starts at its Zipkin while that runs.
  stack.zipkin('start');
  try {
    await restartReadPath(stack, extraEnv);
    await readLoad('gateway', read, settings.readConnections, settings.warmUpSeconds);
    for (let round = 1; round <= settings.rounds; round++) {
      log(`tracing cost: traced round ${round}/${settings.rounds}`);
      const traced = await load();
      figures.addAll('tracing.untraced', { rps: untraced[round - 1].rps, p50: untraced[round - 1].p50 });
      figures.addAll('tracing.traced', { rps: traced.rps, p50: traced.p50 });
      figures.add('tracing.throughputRatio', traced.rps / untraced[round - 1].rps);
      figures.add('tracing.p50Ratio', traced.p50 / untraced[round - 1].p50);
    }
  } finally {
    stack.zipkin('stop');
    await restartReadPath(stack, extraEnv);
  }
}

module.exports = { measureTracingCost };
