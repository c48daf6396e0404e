// A training worker as a process of its own (`atelier-server orchestrator`), for the suites that kill one
// with SIGKILL mid-job, and the poll they wait with.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process wrote (stdout and stderr), for failure messages. */
  output(): string;
}

/** Starts a worker with these settings on top of this process's environment (minus S3_*: the child must
 * use the artifact store the test wrote to, even when the run exports S3_* for the S3 suites). */
export function spawnWorkerProcess(env: Record<string, string | undefined>): WorkerProcess {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('S3_')));
  const child = spawn(process.execPath, ['apps/launcher/bin/atelier-server.js', 'orchestrator'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...inherited, ATELIER_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

/** Calls `fn` every `everyMs` until it returns something other than undefined. */
export async function poll<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
