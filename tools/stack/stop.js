// Stops apps and the Kafka broker left running by `npm start` or an interrupted test run.
const stack = require('./stack');

void (async () => {
  await stack.stopApps();
  if (!process.env.KAFKA_BROKERS) stack.stopKafka();
})();
