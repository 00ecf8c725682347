// Stacks that run side by side on one machine: `npm start`'s ("dev"), the test suites' ("test")
// and the benchmark's ("bench"). Each has its own ports, Kafka broker, Zipkin, databases and
// state files, so neither tests nor benchmarks touch the data a developer works with.
const path = require('node:path');
const catalog = require('../../libs/platform/src/lib/service-catalog.json');

const ROOT = path.resolve(__dirname, '../..');

const INSTANCES = {
  dev: {
    name: 'dev',
    portOffset: 0,
    kafkaPort: 9092,
    kafkaTlsPort: 9094,
    zipkinPort: 9411,
    databaseSuffix: '',
    stateDir: path.join(ROOT, '.cache', 'stack'),
    kafkaStateDir: path.join(ROOT, '.cache', 'kafka'),
    zipkinStateDir: path.join(ROOT, '.cache', 'zipkin'),
    // Kept between runs: it is the developer's data.
    freshData: false,
    embeddedPostgres: { port: 5432, dataDir: path.join(ROOT, '.cache', 'postgres'), durable: true },
  },
  test: {
    name: 'test',
    portOffset: 100,
    kafkaPort: 9192,
    kafkaTlsPort: 9194,
    zipkinPort: 9511,
    databaseSuffix: '_test',
    stateDir: path.join(ROOT, '.cache', 'stack-test'),
    kafkaStateDir: path.join(ROOT, '.cache', 'kafka-test'),
    zipkinStateDir: path.join(ROOT, '.cache', 'zipkin-test'),
    // Databases and topics are created empty for each run and dropped after it.
    freshData: true,
    embeddedPostgres: { port: 5433, dataDir: path.join(ROOT, '.cache', 'postgres-test'), durable: false },
  },
  bench: {
    name: 'bench',
    portOffset: 200,
    kafkaPort: 9292,
    kafkaTlsPort: 9294,
    zipkinPort: 9611,
    databaseSuffix: '_bench',
    stateDir: path.join(ROOT, '.cache', 'stack-bench'),
    kafkaStateDir: path.join(ROOT, '.cache', 'kafka-bench'),
    zipkinStateDir: path.join(ROOT, '.cache', 'zipkin-bench'),
    freshData: true,
    embeddedPostgres: { port: 5434, dataDir: path.join(ROOT, '.cache', 'postgres-bench'), durable: false },
  },
};

const APPS = Object.keys(catalog);

function envPrefix(app) {
  return app.toUpperCase().replace(/-/g, '_');
}

function instanceNamed(name) {
  const instance = INSTANCES[name];
  if (!instance) throw new Error(`unknown stack instance '${name}' (known: ${Object.keys(INSTANCES).join(', ')})`);
  return instance;
}

/** The dev instance honours the caller's per-app overrides; the test instance sets its own. */
function portOf(instance, app, env = process.env) {
  if (instance.portOffset === 0) return Number(env[`${envPrefix(app)}_PORT`] || catalog[app].port);
  return catalog[app].port + instance.portOffset;
}

/** The test instance's ports, service URLs and database names, as app environment variables. */
function instanceVariables(instance) {
  if (instance.portOffset === 0 && instance.databaseSuffix === '') return {};
  const variables = {};
  for (const app of APPS) {
    const prefix = envPrefix(app);
    variables[`${prefix}_PORT`] = String(portOf(instance, app));
    variables[`${prefix}_URL`] = `http://127.0.0.1:${portOf(instance, app)}`;
    if (catalog[app].database) variables[`${prefix}_DATABASE`] = databaseOf(instance, app);
  }
  return variables;
}

/** The app's database in this instance; null for an app without one (the gateway). */
function databaseOf(instance, app) {
  const { database } = catalog[app];
  return database && `${database}${instance.databaseSuffix}`;
}

function databasesOf(instance) {
  return APPS.filter((app) => catalog[app].database).map((app) => databaseOf(instance, app));
}

module.exports = { ROOT, APPS, INSTANCES, envPrefix, instanceNamed, portOf, instanceVariables, databaseOf, databasesOf };
