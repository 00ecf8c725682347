const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { APP_COMMAND_LINE_FLAGS, APP_HEAP_FLAGS, APP_MALLOC_ENVIRONMENT, APP_NODE_FLAGS } = require('./app-node-flags');

const ROOT = path.resolve(__dirname, '../..');

/** The Dockerfile's runtime stage. */
function dockerRuntimeStage() {
  return fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split(/^FROM .* AS runtime$/m)[1] ?? '';
}

/** The NODE_OPTIONS the runtime stage sets, as its flags. */
function dockerNodeOptions() {
  const match = dockerRuntimeStage().match(/NODE_OPTIONS="([^"]*)"/);
  return match ? match[1].split(/\s+/).filter(Boolean) : [];
}

/** The variables the runtime stage's ENV sets other than NODE_ENV and NODE_OPTIONS. */
function dockerEnvironment() {
  const instruction = dockerRuntimeStage().match(/^ENV ((?:.*\\\n)*.*)$/m);
  const assignments = instruction ? instruction[1].replace(/\\\n/g, ' ').matchAll(/(\w+)=("[^"]*"|\S+)/g) : [];
  return Object.fromEntries(
    [...assignments].map(([, name, value]) => [name, value]).filter(([name]) => name !== 'NODE_ENV' && name !== 'NODE_OPTIONS'),
  );
}

/** The runtime stage's CMD, as its words. */
function dockerCommand() {
  const match = dockerRuntimeStage().match(/^CMD (\[.*\])$/m);
  return match ? JSON.parse(match[1]) : [];
}

/**
 * V8's WebAssembly compilations in a Node process, started with `flags`, that sends requests
 * through undici, whose HTTP parser (llhttp) is WebAssembly. A tiny tiering budget makes any
 * function that runs at all hot enough to be compiled again by the optimising compiler.
 */
function wasmCompilationsWith(flags) {
  const script = `
    const http = require('node:http');
    const { request } = require('undici');
    const server = http.createServer((req, res) => res.end('{}')).listen(0, '127.0.0.1', async () => {
      for (let i = 0; i < 200; i++) await (await request('http://127.0.0.1:' + server.address().port)).body.text();
      server.close();
    });`;
  return execFileSync(process.execPath, [...flags, '--trace-wasm-compilation-times', '--wasm-tiering-budget=1000', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

/** Which compiler V8 optimised a hot function with, in a Node process started with `flags`: one `target …` per compilation. */
function optimisingCompilationsWith(flags) {
  const script = `
    function sum(values) { let total = 0; for (const value of values) total += value * 2; return total; }
    let total = 0;
    for (let i = 0; i < 200000; i++) total += sum([1, 2, 3, 4, 5]);`;
  return execFileSync(process.execPath, [...flags, '--trace-opt', '-e', script], { encoding: 'utf8' }).match(/target [A-Z_]+/g) ?? [];
}

/** Whether this Node's V8 turns Maglev on by default (Node 24 does; Node 20 and 22 do not). */
function maglevOnByDefault() {
  return /^\s+--maglev \(.*\n\s+type: bool\s+default: --maglev$/m.test(execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }));
}

describe('the apps’ node flags', () => {
  it('are the same in the Docker image as in npm start, the tests and the benchmark', () => {
    expect(dockerNodeOptions()).toEqual(APP_HEAP_FLAGS);
    expect(dockerCommand()).toEqual(['node', ...APP_COMMAND_LINE_FLAGS, 'main.js']);
    expect(dockerEnvironment()).toEqual(APP_MALLOC_ENVIRONMENT);
  });

  it('keep undici’s HTTP parser on the baseline compiler, which a Node without them leaves for the optimising one', () => {
    expect(wasmCompilationsWith([])).toMatch(/using TurboFan/);
    const withAppFlags = wasmCompilationsWith(APP_NODE_FLAGS);
    expect(withAppFlags).toMatch(/using Liftoff/);
    expect(withAppFlags).not.toMatch(/using TurboFan/);
  });

  it('keep V8 from optimising with Maglev, so only TurboFan does', () => {
    const withAppFlags = optimisingCompilationsWith(APP_NODE_FLAGS);
    expect(withAppFlags.some((target) => target.startsWith('target TURBOFAN'))).toBe(true);
    expect(withAppFlags).not.toContain('target MAGLEV');
    if (maglevOnByDefault()) expect(optimisingCompilationsWith([])).toContain('target MAGLEV');
  });
});
