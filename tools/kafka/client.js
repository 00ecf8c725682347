// Every kafkajs client the scripts make: the apps' fix for kafkajs' idle timer loop
// (docs/decisions.md, "kafkajs 2.2.4, with its idle timer loop fixed in place") applied first.
const { Kafka } = require('kafkajs');
const { fixKafkajsIdleLoop } = require('../../libs/messaging/src/lib/kafkajs-idle-loop');

/** A kafkajs client with `config`, its connections' request queues idle when nothing is pending. */
function kafkaClient(config) {
  fixKafkajsIdleLoop();
  return new Kafka(config);
}

module.exports = { kafkaClient };
