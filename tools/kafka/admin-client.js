// A kafkajs admin client signed in as the broker's admin (principals.js), for the provisioning
// scripts kafka.sh runs on every start: one client does in a second what a Kafka CLI JVM per
// call took seconds for.
const { logLevel } = require('kafkajs');
const { kafkaClient } = require('./client');
const { ADMIN, credentialsOf } = require('./principals');

/**
 * Runs `work` with a connected admin client of the broker at `bootstrap` (host:port), then
 * disconnects it. kafkajs logs errors, retried ones included, unless `quiet`.
 */
async function withAdmin(bootstrap, clientId, work, { quiet = false } = {}) {
  const port = bootstrap.split(':')[1];
  const kafka = kafkaClient({
    clientId,
    brokers: [bootstrap],
    sasl: credentialsOf(ADMIN, port),
    logLevel: quiet ? logLevel.NOTHING : logLevel.ERROR,
    retry: { retries: 10 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

module.exports = { withAdmin };
