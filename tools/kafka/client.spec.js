const { countedRequestQueue } = require('../../libs/messaging/src/lib/kafkajs-request-queue.fixture');
const { kafkaClient } = require('./client');

describe("the scripts' kafkajs clients", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('leave an idle connection without a timer: no 1 ms loop, no TimeoutNegativeWarning on Node 24', () => {
    kafkaClient({ clientId: 'spec', brokers: ['localhost:9092'] });
    const { queue, looks } = countedRequestQueue();
    queue.checkPendingRequests();
    jest.advanceTimersByTime(1000);
    expect(looks()).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
    queue.destroy();
  });
});
