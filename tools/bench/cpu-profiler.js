// Preloaded into an app (`node --require`, via the stack's STACK_NODE_FLAGS) by `npm run bench --
// --profile`: each SIGWINCH starts or stops V8's CPU profiler, and the n-th stop writes
// <app>-<n>.cpuprofile into BENCH_PROFILE_DIR. Not `--cpu-prof`: that writes only on a normal
// exit, and Nest's shutdown hook ends an app by re-raising SIGTERM; a toggle also profiles
// exactly the load, not the start. SIGWINCH because Nest's shutdown hooks take SIGUSR2 (and Node
// SIGUSR1), and its default action is to be ignored: an app without this file is unaffected.
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const directory = process.env.BENCH_PROFILE_DIR;
const app = path.basename(path.dirname(process.argv[1]));
const session = new inspector.Session();
session.connect();
let profiling = false;
let part = 0;

process.on('SIGWINCH', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) return process.stderr.write(`cpu-profiler: ${error.message}\n`);
    part += 1;
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(path.join(directory, `${app}-${part}.cpuprofile`), JSON.stringify(result.profile));
  });
});
