// `npm stop`: stops what `npm start` or an interrupted test run left running — apps, Kafka,
// Zipkin and an embedded database server — for every instance.
const { INSTANCES } = require('./instances');
const { createStack } = require('./stack');

void (async () => {
  for (const name of Object.keys(INSTANCES)) await createStack(name).stopAll();
})();
