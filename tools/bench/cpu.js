// CPU time by process, from /proc (Linux), so a figure says what each request cost each process
// it passed through: the apps, the broker, each service's Postgres backends, the baseline server,
// and the whole machine; so it says which process a change saved work in.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { APPS, databaseOf } = require('../stack/instances');
const { pidsOf } = require('./memory');

/** The unit of /proc's CPU times (USER_HZ): 100 on every common Linux, asked once. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system ticks of a process, undefined when it is gone. */
function processTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Busy ticks of every core together, from /proc/stat's first line: user, nice, system, irq and
 * softirq. Not idle or iowait, nor steal: the time a hypervisor ran something else on the core.
 */
function machineTicks() {
  const [, user, nice, system, , , irq, softirq] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq;
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Each service's Postgres backends: `postgres: … <user> <database> <host>(<port>) <state>` as their titles read. */
function backendsByService(databases) {
  const backends = Object.fromEntries(Object.keys(databases).map((service) => [service, []]));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const title = commandLine(entry);
    if (!title.startsWith('postgres:')) continue;
    const words = title.split(' ');
    for (const [service, database] of Object.entries(databases)) {
      if (words.includes(database)) backends[service].push(Number(entry));
    }
  }
  return backends;
}

/**
 * Measures the CPU time the stack's processes use between `sample()` and `usedSince(sample)`, in
 * ms by process: each app by name, `kafka` (the stack's own broker), `<service>-db` (the
 * service's Postgres backends), any `extra` process by its key, and `machine`. A backend that
 * ended in between is not counted (its time is gone with it); the services' pools keep theirs
 * open under load, so that is at most a connection closed after idling.
 */
function createCpuMeter(stack, extra = {}) {
  const databases = Object.fromEntries(APPS.map((app) => [app, databaseOf(stack.instance, app)]).filter(([, database]) => database));
  // Where tools/kafka/kafka.sh keeps the broker's pid (its PID_FILE).
  const kafkaPidFile = path.join(stack.instance.kafkaStateDir, 'kafka.pid');

  function processes() {
    const byKey = Object.fromEntries(Object.entries(pidsOf(stack)).map(([app, pid]) => [app, [pid]]));
    try {
      byKey.kafka = [Number(fs.readFileSync(kafkaPidFile, 'utf8').trim())];
    } catch {
      // An external broker, or none: not measured.
    }
    for (const [service, pids] of Object.entries(backendsByService(databases))) byKey[`${service}-db`] = pids;
    for (const [key, pid] of Object.entries(extra)) byKey[key] = [pid];
    return byKey;
  }

  function sample() {
    const ticks = {};
    for (const [key, pids] of Object.entries(processes())) {
      ticks[key] = new Map(pids.map((pid) => [pid, processTicks(pid)]).filter(([, value]) => value !== undefined));
    }
    return { ticks, machine: machineTicks() };
  }

  function usedSince(before) {
    const after = sample();
    const toMs = (ticks) => (ticks * 1000) / TICKS_PER_SECOND;
    const used = {};
    for (const [key, pids] of Object.entries(after.ticks)) {
      let ticks = 0;
      for (const [pid, now] of pids) ticks += now - (before.ticks[key]?.get(pid) ?? 0);
      used[key] = toMs(ticks);
    }
    used.machine = toMs(after.machine - before.machine);
    return used;
  }

  return { sample, usedSince };
}

module.exports = { createCpuMeter };
