#!/usr/bin/env bash
# Validates docker-compose.yml (part of `npm test`, as `npm run test:compose`).
#
#   bash tools/compose/check.sh [compose-file]      default: <repo>/docker-compose.yml
#   COMPOSE_CHECK_FILE=<file> bash tools/compose/check.sh
#
# 1. The compose tool itself validates the file: `docker-compose config -q` (Debian's
#    docker-compose package, v1 or v2), else `docker compose config -q`. Without either the
#    check fails and says how to install one: no Docker engine is needed for this.
# 2. On the configuration compose resolved, what compose cannot know about this repo:
#    every app in apps/ has a service of the same name built with `APP: <app>`, listening on
#    its catalog port on 0.0.0.0, health-checked on GET /health; the apps that use Postgres
#    or Kafka are pointed at them; every other app an app's source names has its
#    `<APP>_URL` set to that app's service; only the gateway publishes a port; every topic in
#    libs/contracts/src/lib/topics.json and its .DLT is created (auto topic creation is off).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FILE="${1:-${COMPOSE_CHECK_FILE:-$ROOT/docker-compose.yml}}"

log() { printf '[compose] %s\n' "$*" >&2; }

[[ -f "$FILE" ]] || { log "no compose file at $FILE"; exit 1; }

if command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  log "neither docker-compose nor the docker compose plugin is installed, so $FILE cannot be validated."
  log "Install one (no Docker engine is needed to validate), e.g. on Debian/Ubuntu:"
  log "  sudo apt-get install docker-compose"
  exit 1
fi

# The project directory stays the repo root, so a copy of the file elsewhere resolves the same
# build contexts.
compose() { "${COMPOSE[@]}" --project-directory "$ROOT" -f "$FILE" "$@"; }

if ! compose config -q; then
  log "FAIL: ${COMPOSE[*]} rejects $FILE"
  exit 1
fi

RESOLVED="$(mktemp)"
trap 'rm -f "$RESOLVED"' EXIT
compose config >"$RESOLVED"

node - "$ROOT" "$RESOLVED" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');

const [root, resolvedFile] = process.argv.slice(2);
const catalog = JSON.parse(fs.readFileSync(path.join(root, 'libs/platform/src/lib/service-catalog.json'), 'utf8'));
const services = flatten(fs.readFileSync(resolvedFile, 'utf8')).services ?? {};
const problems = [];
const prefix = (app) => app.toUpperCase().replace(/-/g, '_');

const apps = fs
  .readdirSync(path.join(root, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, 'apps', entry.name, 'project.json')))
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
  const env = service.environment ?? {};
  const port = String(catalog[app].port);
  expectEnv(app, env, `${prefix(app)}_PORT`, port);
  expectEnv(app, env, 'HTTP_HOST', '0.0.0.0');
  const healthcheck = Object.values(service.healthcheck?.test ?? {}).join(' ');
  if (!healthcheck.includes(`:${port}/health`)) problems.push(`service ${app}: healthcheck must call GET :${port}/health`);

  const source = sourceOf(app);
  if (source.includes('databaseEnvironment(')) expectHostIsService(app, env, 'DATABASE_URL', (value) => new URL(value).hostname);
  if (source.includes('kafkaEnvironment')) expectHostIsService(app, env, 'KAFKA_BROKERS', (value) => value.split(',')[0].split(':')[0]);
  for (const other of Object.keys(catalog)) {
    const variable = `${prefix(other)}_URL`;
    const named = other !== app && new RegExp(`['"\`]${other}['"\`]`).test(source);
    if (named || env[variable] !== undefined) expectEnv(app, env, variable, `http://${other}:${catalog[other].port}`);
  }
}

const topics = Object.values(JSON.parse(fs.readFileSync(path.join(root, 'libs/contracts/src/lib/topics.json'), 'utf8')));
const topicScripts = Object.values(services)
  .map((service) => (typeof service.command === 'string' ? service.command : Object.values(service.command ?? {}).join(' ')))
  .filter((command) => command.includes('kafka-topics.sh'));
if (topicScripts.length === 0) problems.push('no service creates the Kafka topics with kafka-topics.sh (auto creation is off)');
for (const topic of topics.flatMap((name) => [name, `${name}.DLT`])) {
  const named = new RegExp(`(?<![\\w.-])${topic.replace(/\./g, '\\.')}(?![\\w.-])`);
  if (topicScripts.length > 0 && !topicScripts.some((script) => named.test(script))) {
    problems.push(`topic ${topic} (libs/contracts/src/lib/topics.json) is not created by the topic init service`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`[compose] FAIL: ${problem}`);
  process.exit(1);
}
console.error(`[compose] ok: ${apps.length} apps, each with its service, port, health check and connections`);

function expectEnv(app, env, variable, expected) {
  if (env[variable] !== expected) {
    problems.push(`service ${app}: ${variable} must be ${expected}, is ${env[variable] ?? 'unset'}`);
  }
}

function expectHostIsService(app, env, variable, hostOf) {
  const value = env[variable];
  let host;
  try {
    host = value === undefined ? undefined : hostOf(value);
  } catch {
    host = undefined;
  }
  if (!host || !services[host]) {
    problems.push(`service ${app}: ${variable} must name a compose service, is ${value ?? 'unset'}`);
  }
}

/** The app's non-test TypeScript, to see which variables and services it uses. */
function sourceOf(app) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(fs.readFileSync(file, 'utf8'));
    }
  };
  walk(path.join(root, 'apps', app, 'src'));
  return files.join('\n');
}

/**
 * Reads the block-style YAML that `compose config` prints into nested objects (lists become
 * objects keyed by index). Enough for that normalized output, not a general YAML parser:
 * a line more indented than a scalar's line continues that scalar.
 */
function flatten(text) {
  const result = {};
  const stack = [{ indent: -1, node: result }];
  let scalar = null; // { indent, holder, key } of the last scalar, for continuation lines
  for (const raw of text.split('\n')) {
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    let line = raw.trim();
    if (scalar && indent > scalar.indent) {
      scalar.holder[scalar.key] = `${scalar.holder[scalar.key]} ${line}`;
      continue;
    }
    scalar = null;
    let keyIndent = indent;
    if (line.startsWith('- ') || line === '-') {
      while (stack.length > 1 && stack[stack.length - 1].indent > indent) stack.pop();
      const parent = stack[stack.length - 1].node;
      const item = {};
      const index = String(Object.keys(parent).length);
      line = line.slice(1).trim();
      keyIndent = indent + 2;
      if (!/^[^'"\s][^:]*:(\s|$)/.test(line)) {
        parent[index] = unquote(line);
        scalar = { indent, holder: parent, key: index };
        continue;
      }
      parent[index] = item;
      stack.push({ indent: indent + 1, node: item });
    } else {
      while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    }
    const match = /^([^:]+):(?:\s+(.*))?$/.exec(line);
    if (!match) continue;
    const parent = stack[stack.length - 1].node;
    const key = unquote(match[1]);
    if (match[2] === undefined || match[2] === '') {
      parent[key] = {};
      stack.push({ indent: keyIndent, node: parent[key] });
    } else {
      parent[key] = unquote(match[2]);
      scalar = { indent: keyIndent, holder: parent, key };
    }
  }
  return result;
}

function unquote(value) {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return JSON.parse(value);
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}
EOF
