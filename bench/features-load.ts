// A fixed-rate, open-loop load generator: request i is due at start + i/rate whether or not earlier
// ones have answered (a stall of the server does not hold sends back: no coordinated omission).
// Latency is measured from when the request was sent. How late sends were against the schedule is
// reported apart (`sendLagMs`): Node's timers fire at 1 ms granularity, so up to ~1 ms of it is the
// generator's own timer, not the system under test.
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * CPU time (ms) of this process's main thread — the thread that serves reads — from
 * /proc/self/task/<pid>/stat (10 ms ticks; Linux). Elsewhere: the whole process (process.cpuUsage).
 */
export function mainThreadCpuMs(): number {
  try {
    return statCpuMs(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

/**
 * CPU time (ms) of each local Postgres backend serving `database`, by pid (from /proc; undefined when
 * none is visible). Per backend, so that a window's figure counts backends that opened inside it from
 * zero and is not thrown off by one that exited (its share of the window is lost, a slight undercount).
 */
export function postgresCpuMs(database: string): Map<string, number> | undefined {
  const byPid = new Map<string, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.startsWith('postgres:') || !cmdline.includes(` ${database} `)) continue;
      byPid.set(pid, statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return byPid.size ? byPid : undefined;
}

/** CPU (ms) the backends seen at `after` spent since `before` (undefined when none is seen at `after`). */
export function postgresCpuSpentMs(before: Map<string, number> | undefined, after: Map<string, number> | undefined): number | undefined {
  if (!after) return undefined;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before?.get(pid) ?? 0);
  return total;
}

function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
}

export interface LoadResult {
  /** Per request, from when it was sent; Infinity for a request dropped because too many were pending. */
  latenciesMs: Float64Array;
  /** Per request, how long after its due time it was sent (Infinity when dropped). */
  sendLagMs: Float64Array;
  /** Requests not sent because `maxPending` were already in flight (the system could not keep up). */
  dropped: number;
  /** Requests completed per second over the run. */
  achievedPerS: number;
  errors: number;
}

export async function openLoop(ratePerS: number, seconds: number, fire: (i: number) => Promise<void>, maxPending = 2000): Promise<LoadResult> {
  const total = Math.round(ratePerS * seconds);
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  const intervalMs = 1000 / ratePerS;
  let next = 0;
  let errors = 0;
  let dropped = 0;
  let pending = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const finish = () => {
      if (next >= total && pending === 0) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * intervalMs <= now) {
        const i = next++;
        const due = start + i * intervalMs;
        if (pending >= maxPending) {
          dropped++;
          latencies[i] = lags[i] = Infinity;
          continue;
        }
        pending++;
        const sent = performance.now();
        lags[i] = sent - due;
        fire(i).then(
          () => {
            latencies[i] = performance.now() - sent;
            pending--;
            finish();
          },
          () => {
            errors++;
            latencies[i] = performance.now() - sent;
            pending--;
            finish();
          },
        );
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now() - 0.5));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  return { latenciesMs: latencies, sendLagMs: lags, achievedPerS: (total - dropped - errors) / elapsed, errors, dropped };
}

export function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface HttpLoadOptions {
  url: string;
  headers: Record<string, string>;
  featureViews: string[];
  /** The response layout asked for (omitted: the server's default, 'objects'). */
  format?: 'objects' | 'compact';
  keyColumn: string;
  keySpace: number;
  keyCount: number;
  ratePerS: number;
  seconds: number;
  connections: number;
  /** Seconds of load at `ratePerS` before the measured window (connections opened, code JIT-compiled). */
  warmupSeconds: number;
}

/**
 * The same open loop against an HTTP endpoint, from a worker thread (its own event loop, so the
 * client does not queue behind the server it measures; see features-http-client.ts).
 */
export async function httpOpenLoop(opts: HttpLoadOptions): Promise<LoadResult> {
  const worker = new Worker(new URL('./features-http-client.mjs', import.meta.url), { workerData: opts });
  const { result, firstError } = await new Promise<{ result: LoadResult; firstError?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (firstError) console.error(`  first HTTP error: ${firstError}`);
  return result;
}
