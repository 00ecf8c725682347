// Load generation: autocannon for throughput at saturation, and an open-loop pacer for a fixed
// rate, reduced to the numbers the benchmark reports.
const http = require('node:http');
const autocannon = require('autocannon');
const { percentile } = require('./stats');

/**
 * One load run at saturation. `request` is autocannon's request description (it may have
 * setupRequest and onResponse). `stopWhen` is asked before each request is built and ends the run
 * early when it says so.
 *
 * Latency percentiles come from each 2xx answer's own time, not autocannon's histogram: that
 * keeps whole milliseconds (at a p50 of 2 to 4 ms the truncation alone moved a ratio of two p50s
 * by up to half) and, by default, counts failed answers' times with the successful ones.
 */
function drive({ url, connections, seconds, request, stopWhen }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let instance;
    const guarded = stopWhen
      ? {
          ...request,
          setupRequest: (req, context) => {
            if (stopWhen()) setImmediate(() => instance.stop());
            return request.setupRequest ? request.setupRequest(req, context) : req;
          },
        }
      : request;
    instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [guarded],
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(summaryOf(result, latencies))),
    );
    instance.on('response', (client, statusCode, bytes, milliseconds) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(milliseconds);
    });
  });
}

/** autocannon's counts, with the percentiles of `latencies` (the 2xx answers' times in ms). */
function summaryOf(result, latencies) {
  return summarised(result.duration, result['2xx'], result.non2xx + result.errors + result.timeouts, latencies);
}

function summarised(seconds, ok, failed, latencies) {
  return { seconds, ok, failed, rps: ok / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), latencies };
}

/** Several runs of one load as one: their time and answers added up, their latencies pooled. */
function pooled(results) {
  const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
  return summarised(
    total('seconds'),
    total('ok'),
    total('failed'),
    results.flatMap((result) => result.latencies),
  );
}

/**
 * Sends `count` requests at a fixed `rate` per second, each at its scheduled time whatever the
 * answers before it (autocannon's rate limit sends each second's quota in one burst per
 * connection). Latency runs from the scheduled time, so a stalled sender shows as latency.
 * `next()` describes each request ({ method, path, headers, body }); `onResponse(status, body)`
 * sees each answer. Answers once every request is answered.
 */
async function paced({ url, rate, count, next, onResponse = () => undefined }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies = [];
  let failed = 0;
  const send = (scheduledAt) =>
    new Promise((resolve) => {
      const { method, path, headers, body } = next();
      const request = http.request(new URL(path, url), { method, headers, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          latencies.push(performance.now() - scheduledAt);
          onResponse(response.statusCode, Buffer.concat(chunks).toString('utf8'));
          resolve();
        });
      });
      request.on('error', () => {
        failed += 1;
        resolve();
      });
      request.end(body);
    });
  const begin = performance.now();
  const answers = [];
  for (let index = 0; index < count; index++) {
    const scheduledAt = begin + (index * 1000) / rate;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(send(scheduledAt));
  }
  await Promise.all(answers);
  agent.destroy();
  return {
    seconds: (performance.now() - begin) / 1000,
    failed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

module.exports = { drive, paced, pooled };
