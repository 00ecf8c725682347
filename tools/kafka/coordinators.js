// Waits until the broker's group coordinator serves every consumer group of principals.json.
// On a new broker the first question for a coordinator creates the consumer offsets topic, and
// on a restarted one the coordinator first loads it; meanwhile it answers "coordinator not
// available" or "loading". kafkajs retries, but logs each such answer as an error, the consumer's
// with its stack: in every app that started with the broker, on a newcomer's first `npm start`
// and on every start of the test and bench stacks, whose brokers begin empty. kafka.sh runs
// this last, so the apps find the coordinator ready; its own retries are not logged. Compose's
// kafka-init does the same with kafka-consumer-groups.sh.
//
//   node tools/kafka/coordinators.js <host:port>
const { withAdmin } = require('./admin-client');
const { consumerGroups } = require('./principals');

const GROUPS = consumerGroups();

function log(message) {
  process.stderr.write(`[kafka] ${message}\n`);
}

if (require.main === module) {
  const [bootstrap] = process.argv.slice(2);
  if (!bootstrap?.includes(':')) {
    process.stderr.write('usage: coordinators.js <host:port>\n');
    process.exit(2);
  }
  withAdmin(bootstrap, 'kafka-sh-coordinators', (admin) => admin.describeGroups(GROUPS), { quiet: true }).then(
    () => log(`group coordinator serving: ${GROUPS.join(' ')}`),
    (error) => {
      log(`waiting for the group coordinator failed: ${error.message}`);
      process.exit(1);
    },
  );
}
