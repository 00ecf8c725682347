// Turns the per-round figures into medians, checks them against issue #11's targets and renders
// the Markdown table. A missed target is reported, never an error.
const { median } = require('./stats');

/** [id pattern, label, unit]; the first match labels a figure. `$1`, `$2` are the pattern's captures. */
const LABELS = [
  [/^start\.warm$/, 'start command to all healthy, warm (build cached)', 'ms'],
  [/^start\.fresh$/, 'start command to all healthy, as after a fresh clone (no dist, Nx cache skipped)', 'ms'],
  [/^start\.noBuild$/, 'start to all healthy, apps already built (--no-build)', 'ms'],
  [/^read\.baseline\.(\w+)$/, 'GET pet by id: baseline (node:http + pg) $1', null],
  [/^read\.direct\.throughputRatio$/, 'GET pet by id: pet-service direct / baseline throughput', 'ratio'],
  [/^read\.direct\.(\w+)$/, 'GET pet by id: pet-service direct $1', null],
  [/^read\.gateway\.throughputRatio$/, 'GET pet by id: gateway / baseline throughput', 'ratio'],
  [/^read\.gateway\.p50Ratio$/, 'GET pet by id: gateway p50 / direct p50', 'ratio'],
  [/^read\.gateway\.(\w+)$/, 'GET pet by id: gateway $1', null],
  [/^read\.findByStatusDirect\.(\w+)$/, 'findByStatus: pet-service direct $1', null],
  [/^read\.findByStatusGateway\.(\w+)$/, 'findByStatus: gateway $1', null],
  [/^tracing\.throughputRatio$/, 'GET pet by id through the gateway: traced / untraced throughput', 'ratio'],
  [/^tracing\.p50Ratio$/, 'GET pet by id through the gateway: traced / untraced p50', 'ratio'],
  [/^tracing\.untraced\.(\w+)$/, 'GET pet by id through the gateway, untraced (tracing-cost rounds) $1', null],
  [/^tracing\.traced\.(\w+)$/, 'GET pet by id through the gateway, traced into Zipkin $1', null],
  [/^orders\.saturation\.placedPerSecond$/, 'placeOrder at saturation: orders placed', '/s'],
  [/^orders\.saturation\.notPlaced$/, 'placeOrder at saturation: answers other than 200', 'count'],
  [/^orders\.saturation\.(\w+)$/, 'placeOrder at saturation: latency $1', 'ms'],
  [/^orders\.fixedRate\.notPlaced$/, 'placeOrder at a fixed rate: answers other than 200', 'count'],
  [/^orders\.fixedRate\.(\w+)$/, 'placeOrder at a fixed rate: latency $1', 'ms'],
  [/^eventLag\.(p\d+)$/, 'event lag, placeOrder answer → inventory shows pending: $1', 'ms'],
  [/^eventLag\.samples$/, 'event lag: orders sampled', 'count'],
  [/^eventLag\.lost$/, 'event lag: sampled pets never pending in inventory', 'count'],
  [/^race\.ms$/, 'concurrent orders for one pet: until all answered', 'ms'],
  [/^race\.winners$/, 'concurrent orders for one pet: winners', 'count'],
  [/^race\.refused$/, 'concurrent orders for one pet: 409 answers', 'count'],
  [/^race\.other$/, 'concurrent orders for one pet: other answers', 'count'],
  [/^cpu\.read\.(\w+)\.machine$/, 'CPU per read, $1: the whole machine', 'µs'],
  [/^cpu\.read\.(\w+)\.([\w-]+)-db$/, "CPU per read, $1: Postgres, $2's database", 'µs'],
  [/^cpu\.read\.(\w+)\.([\w-]+)$/, 'CPU per read, $1: $2', 'µs'],
  [/^cpu\.order\.machine$/, 'CPU per order placed: the whole machine', 'ms'],
  [/^cpu\.order\.([\w-]+)-db$/, "CPU per order placed: Postgres, $1's database", 'ms'],
  [/^cpu\.order\.([\w-]+)$/, 'CPU per order placed: $1', 'ms'],
  [/^memory\.([\w-]+)\.idle$/, 'resident memory idle: $1', 'MB'],
  [/^memory\.([\w-]+)\.load$/, 'resident memory under load (peak): $1', 'MB'],
  [/^restart\.([\w-]+)\.stoppedMs$/, 'stop (SIGTERM) to exited: $1', 'ms'],
  [/^restart\.([\w-]+)\.servingMs$/, 'restart to serving HTTP: $1', 'ms'],
  [/^restart\.([\w-]+)\.healthyMs$/, 'restart to healthy: $1', 'ms'],
];

const UNIT_OF_SUFFIX = { rps: '/s', p50: 'ms', p99: 'ms' };

/** Issue #11's targets: [id pattern, comparison, limit]. */
const TARGETS = [
  [/^read\.direct\.throughputRatio$/, '≥', 0.6],
  [/^read\.gateway\.throughputRatio$/, '≥', 0.4],
  [/^read\.gateway\.p50Ratio$/, '≤', 1.3],
  [/^orders\.saturation\.placedPerSecond$/, '≥', 300],
  [/^orders\.fixedRate\.p99$/, '≤', 250],
  [/^eventLag\.p99$/, '≤', 50],
  [/^race\.winners$/, '=', 1],
  [/^memory\.[\w-]+\.load$/, '≤', 150],
  [/^restart\.[\w-]+\.servingMs$/, '≤', 3000],
  [/^start\.warm$/, '≤', 20000],
];

const COMPARISONS = { '≥': (value, limit) => value >= limit, '≤': (value, limit) => value <= limit, '=': (value, limit) => value === limit };

function labelOf(id) {
  for (const [pattern, label, unit] of LABELS) {
    const match = pattern.exec(id);
    if (match) return { label: label.replace(/\$(\d)/g, (_, group) => match[group]), unit: unit ?? UNIT_OF_SUFFIX[match[1]] ?? '' };
  }
  return { label: id, unit: '' };
}

function targetOf(id, value) {
  const target = TARGETS.find(([pattern]) => pattern.test(id));
  if (!target) return undefined;
  const [, comparison, limit] = target;
  return { comparison, limit, met: value !== undefined && COMPARISONS[comparison](value, limit) };
}

function formatted(value, unit) {
  if (value === undefined) return '—';
  if (unit === 'ratio') return value.toFixed(2);
  if (unit === 'count') return String(Math.round(value * 10) / 10);
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function reportOf(context, settings, figures) {
  const rows = Object.entries(figures).map(([id, rounds]) => {
    const value = median(rounds);
    return { id, ...labelOf(id), median: value, rounds, target: targetOf(id, value) };
  });
  const json = { ...context, settings, figures: rows };

  const targets = rows.filter((row) => row.target);
  const lines = [
    `# Benchmark (${context.mode}) — ${context.startedAt}`,
    '',
    `Machine: ${context.machine.cpus}, ${context.machine.memoryGb} GB, ${context.machine.platform}, Node ${context.machine.node}; ` +
      `load average ${context.machine.loadAverageAtStart.join(' / ')} at start, ${context.loadAverageAtEnd.join(' / ')} at end.`,
    `Each figure is the median of its rounds (${settings.rounds} rounds of ${settings.roundSeconds} s for load figures; ` +
      `the fixed rate is ${settings.fixedOrderRate} orders/s, event lag sampled on one order in ${settings.lagSampleEvery}).`,
    '',
    `Targets met: ${targets.filter((row) => row.target.met).length} of ${targets.length}.`,
    '',
    '| figure | median | unit | rounds | target | met |',
    '| --- | ---: | --- | --- | --- | --- |',
    ...rows.map((row) =>
      [
        '',
        row.label,
        formatted(row.median, row.unit),
        row.unit,
        row.rounds.map((value) => formatted(value, row.unit)).join(', '),
        row.target ? `${row.target.comparison} ${row.target.limit}` : '',
        row.target ? (row.target.met ? 'yes' : '**no**') : '',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
  ];
  return { json, markdown: lines.join('\n') };
}

module.exports = { reportOf };
