// For specs, the apps' and the scripts': a kafkajs connection's request queue, as kafkajs makes
// one, counting its looks at the pending requests.
const { kafkajsRequestQueueClass } = require('./kafkajs-idle-loop');

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function countedRequestQueue() {
  const RequestQueue = kafkajsRequestQueueClass();
  const queue = new RequestQueue({
    maxInFlightRequests: 1,
    requestTimeout: 30000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger,
  });
  let looks = 0;
  const look = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => {
    looks += 1;
    look();
  };
  return { queue, looks: () => looks };
}

module.exports = { countedRequestQueue };
