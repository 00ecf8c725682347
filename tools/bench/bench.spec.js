const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { INSTANCES } = require('../stack/instances');
const { createCpuMeter } = require('./cpu');
const { drive, pooled } = require('./load');
const { petReadQuery } = require('./pet-read-query');
const { reportOf } = require('./report');
const { median, percentile } = require('./stats');

describe('the baseline query', () => {
  it("is pet-service's findById: one pet by id, with its category and tags", () => {
    const sql = petReadQuery();
    expect(sql).toMatch(/WHERE p\.id = \$1$/);
    expect(sql).toContain('LEFT JOIN category c ON c.id = p.category_id');
    expect(sql).toContain('FROM pet_tag pt JOIN tag t ON t.id = pt.tag_id');
  });
});

describe('medians and percentiles', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([undefined, 5])).toBe(5);
    expect(median([])).toBeUndefined();
  });

  it('answers the nearest-rank percentile', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });
});

describe('a load at saturation', () => {
  const SLOW_ANSWER_MS = 20;
  let server;
  let url;

  beforeAll(async () => {
    // Every other request is refused at once; the others are answered 200 after SLOW_ANSWER_MS.
    let requests = 0;
    server = http.createServer((request, response) => {
      requests += 1;
      if (requests % 2 === 0) return response.writeHead(503).end();
      setTimeout(() => response.writeHead(200).end('ok'), SLOW_ANSWER_MS);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("counts the failures apart and takes its percentiles from the 2xx answers' own times, to a fraction of a millisecond", async () => {
    const result = await drive({ url, connections: 2, seconds: 1, request: { method: 'GET', path: '/' } });
    expect(result.ok).toBeGreaterThan(0);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.p50).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 1);
    expect(result.p99).toBeGreaterThanOrEqual(result.p50);
    expect(Number.isInteger(result.p50) && Number.isInteger(result.p99)).toBe(false);
  });
});

describe('slices of one load', () => {
  it('pool into one result: time and answers added up, percentiles of all their latencies', () => {
    const slow = { seconds: 2, ok: 4, failed: 1, latencies: [10, 10, 10, 10] };
    const fast = { seconds: 2, ok: 12, failed: 0, latencies: Array(12).fill(1) };
    expect(pooled([slow, fast])).toMatchObject({ seconds: 4, ok: 16, failed: 1, rps: 4, p50: 1, p99: 10 });
  });
});

describe('CPU time by process', () => {
  const SPIN_MS = 300;
  let stateDir;
  let spinner;
  let sleeper;

  /** A process that says when it is up, then, on each message, spends `SPIN_MS` of its own CPU time and answers. */
  const spinning = () =>
    fork(
      '-e',
      [
        `process.on('message', () => { const start = process.cpuUsage().user; while (process.cpuUsage().user - start < ${SPIN_MS * 1000}); process.send('spun'); }); process.send('up');`,
      ],
      { stdio: 'ignore' },
    );
  const answered = (child) => new Promise((resolve) => child.once('message', resolve));

  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-meter-'));
    spinner = spinning();
    sleeper = spinning();
    await Promise.all([answered(spinner), answered(sleeper)]);
  });

  afterAll(() => {
    spinner.kill();
    sleeper.kill();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('counts what each process used between two samples, and the machine at least as much', async () => {
    const stack = { instance: { ...INSTANCES.bench, stateDir, kafkaStateDir: stateDir } };
    const cpu = createCpuMeter(stack, { spinner: spinner.pid, sleeper: sleeper.pid });
    const before = cpu.sample();
    spinner.send('spin');
    await answered(spinner);
    const used = cpu.usedSince(before);
    // Whole clock ticks (10 ms on Linux) on either side of the window.
    expect(used.spinner).toBeGreaterThanOrEqual(SPIN_MS - 20);
    expect(used.sleeper).toBeLessThan(SPIN_MS / 2);
    expect(used.machine).toBeGreaterThanOrEqual(used.spinner - 20);
    expect(used.kafka).toBeUndefined();
  });
});

describe('the report', () => {
  const context = {
    mode: 'smoke',
    startedAt: '2026-01-01T00:00:00.000Z',
    machine: { cpus: '2 × test', memoryGb: 4, platform: 'Linux', node: 'v22', loadAverageAtStart: [1, 1, 1] },
    loadAverageAtEnd: [1, 1, 1],
  };
  const settings = { rounds: 3, roundSeconds: 1, fixedOrderRate: 100, lagSampleEvery: 2 };

  it('checks each figure median against its target and reports, never throws, a miss', () => {
    const { json, markdown } = reportOf(context, settings, {
      'read.direct.throughputRatio': [0.5, 0.7, 0.65],
      'orders.saturation.placedPerSecond': [120, 100, 110],
      'race.winners': [1, 1, 1],
      'cpu.read.gateway.pet-service-db': [120, 100, 110],
    });
    const byId = Object.fromEntries(json.figures.map((figure) => [figure.id, figure]));
    expect(byId['read.direct.throughputRatio']).toMatchObject({ median: 0.65, target: { comparison: '≥', limit: 0.6, met: true } });
    expect(byId['orders.saturation.placedPerSecond']).toMatchObject({ median: 110, target: { met: false } });
    expect(byId['race.winners'].target.met).toBe(true);
    expect(markdown).toContain('Targets met: 2 of 3.');
    expect(markdown).toContain('| placeOrder at saturation: orders placed | 110 | /s | 120, 100, 110 | ≥ 300 | **no** |');
    expect(markdown).toContain("| CPU per read, gateway: Postgres, pet-service's database | 110 | µs | 120, 100, 110 |  |  |");
  });
});
