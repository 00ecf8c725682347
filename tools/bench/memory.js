// Resident memory of the bench stack's apps, from /proc (Linux).
const fs = require('node:fs');
const path = require('node:path');

/** The pids of the stack's apps, from the pid file the stack keeps. */
function pidsOf(stack) {
  try {
    return JSON.parse(fs.readFileSync(path.join(stack.instance.stateDir, 'apps.json'), 'utf8'));
  } catch {
    return {};
  }
}

/** Resident set size in MB, undefined when the process or /proc is not there. */
function residentMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)[1]);
    return kb / 1024;
  } catch {
    return undefined;
  }
}

/** Each app's resident memory now. */
function residentByApp(stack) {
  return Object.fromEntries(Object.entries(pidsOf(stack)).map(([app, pid]) => [app, residentMb(pid)]));
}

/** Samples every app's resident memory until stopped; `stop()` answers each app's peak. */
function peakSampler(stack, intervalMs = 250) {
  const peaks = {};
  const sample = () => {
    for (const [app, mb] of Object.entries(residentByApp(stack))) {
      if (mb !== undefined) peaks[app] = Math.max(peaks[app] ?? 0, mb);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

module.exports = { pidsOf, residentByApp, peakSampler };
