// `npm stop`: stops what `npm start` or an interrupted test run left running — apps, Kafka
// and an embedded database server — for both instances.
const { createStack } = require('./stack');

void (async () => {
  for (const name of ['dev', 'test']) await createStack(name).stopAll();
})();
