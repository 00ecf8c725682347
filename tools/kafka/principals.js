// Who may do what on the brokers the project starts: the super user and the SASL mechanism
// come from broker.properties, every other principal and its ACLs from principals.json, and
// each principal's development password from principals.json's template and the broker's port
// (so the dev, test and bench brokers each have their own). Plain Node, no dependencies: the
// stack tool, the compose check and kafka.sh read it.
//
//   node tools/kafka/principals.js scram <port>         one kafka-storage `--add-scram` value per line
//   node tools/kafka/principals.js admin-jaas <port>    the admin's sasl.jaas.config
//   node tools/kafka/principals.js fingerprint <port>   changes when the users to create change
//   node tools/kafka/principals.js env <principal> <port>   the principal's KAFKA_SASL_* variables,
//     for an app run by hand: env $(node tools/kafka/principals.js env pet-service 9092) npx nx serve pet-service
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { devPassword, principals } = require('./principals.json');

const BROKER_PROPERTIES = path.join(__dirname, 'broker.properties');

function brokerSettings() {
  return Object.fromEntries(
    fs
      .readFileSync(BROKER_PROPERTIES, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

const SETTINGS = brokerSettings();
/** As the broker names it (SCRAM-SHA-512); kafkajs takes it in lower case. */
const MECHANISM = SETTINGS['sasl.mechanism.inter.broker.protocol'];
/** The super user that is a SCRAM user (the other, ANONYMOUS, is the broker on its controller listener). */
const ADMIN = SETTINGS['super.users']
  .split(';')
  .map((user) => user.replace(/^User:/, ''))
  .find((user) => user !== 'ANONYMOUS');

/** Every principal a broker gets a SCRAM user for: the admin first. */
function principalNames() {
  return [ADMIN, ...Object.keys(principals)];
}

function passwordOf(principal, port) {
  if (!principalNames().includes(principal)) throw new Error(`unknown Kafka principal '${principal}' (known: ${principalNames().join(', ')})`);
  return devPassword.replace('{principal}', principal).replace('{port}', String(port));
}

/** The principal's SASL options for kafkajs on the project's broker at `port`. */
function credentialsOf(principal, port) {
  return { mechanism: MECHANISM.toLowerCase(), username: principal, password: passwordOf(principal, port) };
}

/** The same as the variables an app reads (libs/messaging/src/lib/kafka.config.ts). */
function environmentOf(principal, port) {
  const { mechanism, username, password } = credentialsOf(principal, port);
  return { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password };
}

/** The consumer groups the apps consume in, each named exactly (the tools' throwaway groups are not). */
function consumerGroups() {
  return Object.values(principals).flatMap((grants) => grants.groups ?? []);
}

/**
 * Every ACL binding, as kafka-acls.sh and kafkajs both describe one: reading a topic, writing
 * one, reading (joining, committing in) a consumer group named exactly, reading and deleting the
 * throwaway groups under a prefix, describing every group (its members and committed offsets).
 * Nothing else is allowed.
 */
function aclBindings() {
  const bindings = [];
  const allow = (principal, operation, resourceType, name, patternType = 'LITERAL') =>
    bindings.push({ principal: `User:${principal}`, operation, resourceType, name, patternType });
  for (const [principal, grants] of Object.entries(principals)) {
    for (const topic of grants.reads ?? []) allow(principal, 'READ', 'TOPIC', topic);
    for (const topic of grants.writes ?? []) allow(principal, 'WRITE', 'TOPIC', topic);
    for (const group of grants.groups ?? []) allow(principal, 'READ', 'GROUP', group);
    for (const prefix of grants.groupPrefixes ?? []) {
      allow(principal, 'READ', 'GROUP', prefix, 'PREFIXED');
      allow(principal, 'DELETE', 'GROUP', prefix, 'PREFIXED');
    }
    if (grants.describesGroups) allow(principal, 'DESCRIBE', 'GROUP', '*');
  }
  return bindings;
}

/** A Java client's (or the broker's own) sasl.jaas.config for the principal. */
function jaasConfigOf(principal, port) {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${principal}" password="${passwordOf(principal, port)}";`;
}

/** kafka-storage.sh format's `--add-scram` values, one per principal. */
function scramArguments(port) {
  return principalNames().map((principal) => `${MECHANISM}=[name=${principal},password=${passwordOf(principal, port)}]`);
}

function fingerprint(port) {
  return crypto.createHash('sha256').update(scramArguments(port).join('\n')).digest('hex');
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  const commands = {
    scram: ([port]) => scramArguments(port).join('\n'),
    'admin-jaas': ([port]) => jaasConfigOf(ADMIN, port),
    fingerprint: ([port]) => fingerprint(port),
    env: ([principal, port]) =>
      Object.entries(environmentOf(principal, port))
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
  };
  if (!commands[command]) {
    process.stderr.write('usage: principals.js scram <port> | admin-jaas <port> | fingerprint <port> | env <principal> <port>\n');
    process.exit(2);
  }
  process.stdout.write(`${commands[command](args)}\n`);
}

module.exports = { ADMIN, MECHANISM, principalNames, consumerGroups, credentialsOf, environmentOf, aclBindings, scramArguments };
