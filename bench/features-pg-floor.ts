// The database's own floor under the online read: the same statement as the reader's (online-store.ts,
// 100 random keys, prepared) driven by pgbench — a C client, no Node, no HTTP — at the same fixed rate
// against the same table. No server in front of Postgres can answer faster than this on the machine it
// runs on, so the HTTP figures are printed beside it. pgbench comes with Postgres' client tools; where
// it is missing the floor is reported as not run.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ONLINE_READ_SQL } from '../packages/feature-store/src/features/online-store.js';
import { percentile } from './features-load.js';

const run = promisify(execFile);

export interface PgFloorResult {
  p50: number;
  p99: number;
  perS: number;
}

/**
 * Latency from when each statement was sent (pgbench's `time` minus its `schedule_lag`, as the HTTP
 * client counts from send), over `seconds` at `ratePerS` with `connections` connections on one thread.
 * Undefined when pgbench is not installed.
 */
export async function pgFloor(opts: {
  databaseUrl: string;
  projectId: string;
  viewVersionId: string;
  keySpace: number;
  keyCount: number;
  ratePerS: number;
  seconds: number;
  connections?: number;
}): Promise<PgFloorResult | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-pg-floor-'));
  try {
    const keys = Array.from({ length: opts.keyCount }, (_, i) => `:k${i}`);
    const script = [
      ...keys.map((k) => `\\set ${k.slice(1)} random(0, ${opts.keySpace - 1})`),
      // The reader's statement, its key array built from pgbench's variables (they bind as text parameters).
      `${readStatement(opts.projectId, opts.viewVersionId, keys)};`,
    ].join('\n');
    writeFileSync(join(dir, 'read.sql'), `${script}\n`);
    const url = new URL(opts.databaseUrl);
    const env = {
      ...process.env,
      PGHOST: url.hostname || 'localhost',
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username) || process.env.PGUSER || 'postgres',
      PGPASSWORD: decodeURIComponent(url.password) || process.env.PGPASSWORD || '',
      PGDATABASE: url.pathname.slice(1),
    };
    const args = ['-n', '-M', 'prepared', '-f', join(dir, 'read.sql'), '-c', String(opts.connections ?? 8), '-j', '1', '-R', String(opts.ratePerS), '-T', String(opts.seconds), '--log', `--log-prefix=${join(dir, 'txn')}`];
    try {
      await run('pgbench', args, { env, maxBuffer: 16 << 20 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`pgbench failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
    }
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((f) => f.startsWith('txn'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        // client_id transaction_no time script_no time_epoch time_us schedule_lag
        const f = line.split(' ');
        if (f.length < 7) continue;
        latencies.push((Number(f[2]) - Number(f[6])) / 1000);
      }
    }
    const sorted = Float64Array.from(latencies);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), perS: latencies.length / opts.seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readStatement(projectId: string, viewVersionId: string, keyVars: string[]): string {
  for (const id of [projectId, viewVersionId]) if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a uuid: ${id}`);
  const sql = ONLINE_READ_SQL.replace('$1::uuid', `'${viewVersionId}'::uuid`)
    .replace('$2::text[]', `array[${keyVars.join(',')}]::text[]`)
    .replace('$3::uuid', `'${projectId}'::uuid`);
  if (sql.includes('$')) throw new Error(`ONLINE_READ_SQL changed shape; update features-pg-floor.ts: ${sql}`);
  return sql;
}
