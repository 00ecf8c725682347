// Plain JavaScript so that every kafkajs client of the project takes the same fix: the apps
// (bundled from TypeScript), the end-to-end suite and the tools' scripts (run by node as they are).

/** kafkajs' own CHECK_PENDING_REQUESTS_INTERVAL: how soon a pending request is looked at again. */
const CHECK_PENDING_INTERVAL_MS = 10;

/** The module kafkajs loads for each connection's queue: the same file, so the same class. */
function kafkajsRequestQueueClass() {
  // Required by path: kafkajs exports no request queue, and its package has no exports map.
  return require('kafkajs/src/network/requestQueue');
}

/**
 * Schedules a look at the queue only when there is something to look at: a pending request, or
 * a throttle to wait out. When neither, a request that comes later is sent at once or, if it
 * must wait, schedules its own check (`push`), and an answer checks the queue (`fulfillRequest`).
 */
function scheduleCheckPendingRequests() {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && untilUnthrottled <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_INTERVAL_MS,
  );
}

/**
 * kafkajs 2.2.4, its last release, reschedules each connection's pending-request check with a
 * negative delay when nothing is pending and nothing throttled, so every open connection runs a
 * 1 ms timer loop for as long as it lives (tulios/kafkajs#1556, #1704; unfixed upstream). Each
 * app with Kafka clients spent 20–30 ms of CPU a second on it while idle, and Node 24 warns about
 * the negative delay (#1751). Replaces that one method; applied before the first client is made.
 */
function fixKafkajsIdleLoop() {
  kafkajsRequestQueueClass().prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}

module.exports = { fixKafkajsIdleLoop, kafkajsRequestQueueClass };
