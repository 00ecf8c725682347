// Summarises V8 .cpuprofile files (node --cpu-prof): busy time by package, and the functions with
// the most self and inclusive time. Usage: node tools/bench/profile-summary.js <file.cpuprofile>… [--top N]
const fs = require('node:fs');
const path = require('node:path');

/** Samples that are not JavaScript work of the process. */
const NOT_BUSY = new Set(['(idle)', '(program)']);

function packageOf(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return 'node core';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const app = /dist\/apps\/([^/]+)\//.exec(url);
  if (app) return `app bundle: ${app[1]}`;
  return path.basename(url);
}

function keyOf(frame) {
  const name = frame.functionName || '(anonymous)';
  return `${name} ${packageOf(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
}

function summarise(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = totalMs / profile.samples.length;
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);

  const self = new Map();
  const inclusive = new Map();
  const byPackage = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let busyMs = 0;

  // Depth first; a function already on the stack (recursion) counts once towards its inclusive time.
  const onStack = new Map();
  const visit = (node) => {
    const frame = node.callFrame;
    const key = keyOf(frame);
    const ownMs = (hits.get(node.id) ?? 0) * msPerSample;
    let subtreeMs = ownMs;
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    for (const child of node.children ?? []) subtreeMs += visit(nodes.get(child));
    onStack.set(key, onStack.get(key) - 1);
    if (NOT_BUSY.has(frame.functionName) || frame.functionName === '(root)') return subtreeMs;
    if (ownMs > 0) {
      add(self, key, ownMs);
      add(byPackage, frame.functionName === '(garbage collector)' ? '(garbage collector)' : packageOf(frame.url), ownMs);
      busyMs += ownMs;
    }
    if (onStack.get(key) === 0) add(inclusive, key, subtreeMs);
    return subtreeMs;
  };
  visit(profile.nodes[0]);
  return { totalMs, busyMs, self, inclusive, byPackage };
}

function top(map, count, busyMs) {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `  ${((100 * ms) / busyMs).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${key}`)
    .join('\n');
}

function summaryOf(file, count = 25) {
  const { totalMs, busyMs, self, inclusive, byPackage } = summarise(JSON.parse(fs.readFileSync(file, 'utf8')));
  return (
    `# ${file}\nprofiled ${(totalMs / 1000).toFixed(1)} s, busy ${(busyMs / 1000).toFixed(1)} s (${((100 * busyMs) / totalMs).toFixed(0)}%); shares below are of busy time\n` +
    `\nself time by package:\n${top(byPackage, count, busyMs)}\n` +
    `\nself time by function:\n${top(self, count, busyMs)}\n` +
    `\ninclusive time by function:\n${top(inclusive, count, busyMs)}\n\n`
  );
}

function main() {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const count = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const files = args.filter((arg, index) => arg !== '--top' && index !== topIndex + 1);
  if (files.length === 0) {
    process.stderr.write('usage: node tools/bench/profile-summary.js <file.cpuprofile>… [--top N]\n');
    process.exit(2);
  }
  for (const file of files) process.stdout.write(summaryOf(file, count));
}

if (require.main === module) main();

module.exports = { summaryOf };
