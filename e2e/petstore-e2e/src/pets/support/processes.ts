import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appEnvironment } from '../../support/environment';
import { stack } from '../../support/stack';

// The files tools/stack/stack.js keeps: the apps it started, so the suite's teardown stops them.
const ROOT = process.cwd();
const PID_FILE = join(ROOT, '.cache', 'stack', 'apps.json');
const LOG_DIR = join(ROOT, '.cache', 'stack', 'logs');

function pids(): Record<string, number> {
  return JSON.parse(readFileSync(PID_FILE, 'utf8')) as Record<string, number>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops one app of the running system as the stack tool would. */
export async function stopApp(app: string): Promise<void> {
  const pid = pids()[app];
  process.kill(-pid, 'SIGTERM');
  await waitFor(() => !alive(pid), 15000, `${app} did not stop`);
}

/** Starts one app again from dist/, recorded where the stack tool (and the suite's teardown) finds it. */
export async function startApp(app: string): Promise<void> {
  const main = join(ROOT, 'dist', 'apps', app, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing`);
  const out = openSync(join(LOG_DIR, `${app}.log`), 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: ROOT,
    env: { NODE_ENV: 'production', ...appEnvironment() },
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.unref();
  closeSync(out);
  writeFileSync(PID_FILE, JSON.stringify({ ...pids(), [app]: child.pid }, null, 2));
  await waitFor(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${stack.portOf(app)}/health`, { signal: AbortSignal.timeout(2000) })).ok;
      } catch {
        return false;
      }
    },
    60000,
    `${app} was not healthy again`,
  );
}

/** Freezes an app (it keeps its port but answers nothing) or thaws it. */
export function freezeApp(app: string, frozen: boolean): void {
  process.kill(-pids()[app], frozen ? 'SIGSTOP' : 'SIGCONT');
}
