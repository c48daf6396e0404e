// `npm run bench -- features`: the feature store's serving and offline figures.
//   1. online read of 100 keys × 20 features from each online store (Postgres; then Redis, when one
//      answers at REDIS_URL, default redis://127.0.0.1:6379) at a fixed ~1,000 reads/s: in-process
//      (OnlineFeatureReader, cache off) and over HTTP (a real listening gateway; open-loop client), in
//      both response layouts (the default objects and `format: 'compact'`), beside the database's own
//      floor (Postgres: the same statement from pgbench at the same rate, bench/features-pg-floor.ts;
//      Redis: the store's read alone from its raw pipelined client at the same rate), every window
//      reported with the targets: Redis p99 ≤ 2 ms; each store's p99 ≤ 1.5 × its floor + 1 ms;
//      Feast's reported p99 (Redis online store, its best case) printed beside ours — not run here.
//   2. point-in-time join of 1M label rows against a 10M-row feature history: wall time, peak RSS.
//   3. upload + profile of a 1 GB CSV (bench/features-upload.ts, the datasets benchmark).
// Sizes via env: FEATURES_BENCH_SECONDS (10), FEATURES_BENCH_RATE (1000), FEATURES_BENCH_LOW_RATE (100,
// a second run below saturation; 0 = skip), FEATURES_BENCH_REPEATS (3 HTTP windows per layout at the rate; the median-p99 one is reported), FEATURES_BENCH_PIT_LABELS
// (1e6), FEATURES_BENCH_PIT_ROWS (1e7), FEATURES_BENCH_UPLOAD_MB (1000), FEATURES_BENCH_SKIP
// (comma list of online,pit,upload), FEATURES_BENCH_STORES (postgres,redis); `npm run bench -- features --only online` (or pit, upload; comma list)
// runs just those parts. Postgres: DATABASE_URL or postgres://postgres@127.0.0.1:5432/test;
// a database is created for the run and dropped after.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createCatalog } from '../packages/catalog/src/index.js';
import { Redis } from 'ioredis';
import { RedisOnlineStore } from '../packages/feature-store/src/index.js';
import { benchOnline, type OnlineBenchResult } from './features-online.js';
import { benchPit, type PitBenchResult } from './features-pit.js';
import { checkPrerequisites, command, postgres, redis } from './prerequisites.js';

const FEAST_REPORTED_P99_MS = 2; // Feast docs/blog: online serving p99 < 2 ms with Redis (its best case)

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const PARTS = ['online', 'pit', 'upload'];
const skip = new Set((process.env.FEATURES_BENCH_SKIP ?? '').split(',').filter(Boolean));
const onlyAt = process.argv.indexOf('--only');
if (onlyAt !== -1) {
  const only = (process.argv[onlyAt + 1] ?? '').split(',').filter(Boolean);
  const unknown = only.filter((p) => !PARTS.includes(p));
  if (only.length === 0 || unknown.length) {
    console.error(`--only takes a comma list of ${PARTS.join(', ')} (got '${process.argv[onlyAt + 1] ?? ''}')`);
    process.exit(2);
  }
  for (const p of PARTS) if (!only.includes(p)) skip.add(p);
}
const log = (line: string) => console.log(`  ${line}`);
const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const stores = new Set((process.env.FEATURES_BENCH_STORES ?? 'postgres,redis').split(',').filter(Boolean));
const missing = await checkPrerequisites('features', [
  postgres(baseUrl),
  command('pgbench', 'postgresql', "the Postgres floor (the online read's statement alone)", true),
  redis(redisUrl, 'the online read with the Redis store, and its floor'),
]);
if ([...missing].some((m) => m.startsWith('Redis at')) && stores.delete('redis')) log('the Redis part is not run (see above)');
const dbName = `atelier_bench_features_${randomBytes(4).toString('hex')}`;
const withDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let online: OnlineBenchResult | undefined;
let onlineRedis: OnlineBenchResult | undefined;
let pit: PitBenchResult | undefined;
let upload: { upload_mb_per_s: number; upload_peak_rss_mb: number; rows: number; bytes: number } | undefined;
let uploadNote = '';

// The upload first: its peak RSS is measured from a fresh process, not after the joins below.
if (!skip.has('upload')) {
  const uploadModule = fileURLToPath(new URL('./features-upload.ts', import.meta.url));
  if (existsSync(uploadModule)) {
    console.log('upload + profile (datasets module):');
    const { benchUpload } = await import('./features-upload.js');
    upload = await benchUpload({ targetMb: env('FEATURES_BENCH_UPLOAD_MB', 1000), log });
  } else uploadNote = 'not run: bench/features-upload.ts is missing';
} else uploadNote = 'not run (FEATURES_BENCH_SKIP)';

await admin(`create database ${dbName}`);
const catalog = await createCatalog({ databaseUrl: withDb(baseUrl, dbName), poolMax: 16 });
try {
  const onlineOptions = {
    catalog,
    databaseUrl: withDb(baseUrl, dbName),
    ratePerS: env('FEATURES_BENCH_RATE', 1000),
    lowRatePerS: env('FEATURES_BENCH_LOW_RATE', 100),
    seconds: env('FEATURES_BENCH_SECONDS', 10),
    repeats: env('FEATURES_BENCH_REPEATS', 3),
    log,
  };
  if (!skip.has('online') && stores.has('postgres')) {
    console.log('online read (Postgres, 100 keys × 20 features):');
    online = await benchOnline(onlineOptions);
  }
  if (!skip.has('online') && stores.has('redis')) {
    console.log(`online read (Redis at ${redisUrl}, 100 keys × 20 features):`);
    const keyPrefix = `atlbench${randomBytes(4).toString('hex')}`;
    const store = new RedisOnlineStore({ url: redisUrl, keyPrefix });
    try {
      onlineRedis = await benchOnline({ ...onlineOptions, store });
    } finally {
      await store.close();
      await dropRedisKeys(redisUrl, `${keyPrefix}:*`);
    }
  }
  if (!skip.has('pit')) {
    console.log('point-in-time join:');
    pit = await benchPit({ catalog, labelRows: env('FEATURES_BENCH_PIT_LABELS', 1_000_000), featureRows: env('FEATURES_BENCH_PIT_ROWS', 10_000_000), log });
  }
} finally {
  await catalog.close();
  await admin(`drop database if exists ${dbName} with (force)`).catch(() => {});
}

/** Remove the run's keys (SCAN + UNLINK) so the bench leaves Redis as it found it. */
async function dropRedisKeys(url: string, pattern: string): Promise<void> {
  const r = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

const f = (n: number | undefined, d = 2) => (n === undefined || Number.isNaN(n) ? '—' : n === Infinity ? '∞ (dropped)' : n.toFixed(d));
console.log('');
console.table([
  { what: 'online read, in-process (cache off)', p50_ms: f(online?.inProcess.p50), p99_ms: f(online?.inProcess.p99), per_s: f(online?.inProcess.perS, 0), note: `Atelier, Postgres; ${online?.inProcess.dropped ?? '—'} dropped` },
  { what: 'online read, HTTP (client view)', p50_ms: f(online?.http.p50), p99_ms: f(online?.http.p99), per_s: f(online?.http.perS, 0), note: `target p99 ≤ 5 ms; median of ${online?.http.p99Runs.length ?? '—'} windows' p99 (${online?.http.p99Runs.map((v) => f(v)).join(', ') ?? '—'}); from send; send lag p99 ${f(online?.http.sendLagP99)} ms; ${online?.http.errors ?? '—'} errors, ${online?.http.dropped ?? '—'} dropped` },
  { what: 'online read, HTTP (server-side)', p50_ms: f(online?.http.serverP50), p99_ms: f(online?.http.serverP99), per_s: '', note: `Fastify reply.elapsedTime; ${online?.http.responseBytes ?? '—'} B per response` },
  {
    what: "online read, HTTP, format 'compact'",
    p50_ms: f(online?.httpCompact.p50),
    p99_ms: f(online?.httpCompact.p99),
    per_s: f(online?.httpCompact.perS, 0),
    note: `windows' p99 (${online?.httpCompact.p99Runs.map((v) => f(v)).join(', ') ?? '—'}); server-side p99 ${f(online?.httpCompact.serverP99)} ms; ${online?.httpCompact.responseBytes ?? '—'} B per response; ${online?.httpCompact.dropped ?? '—'} dropped`,
  },
  {
    what: 'Postgres floor: the statement alone (pgbench)',
    p50_ms: f(online?.pgFloor?.p50),
    p99_ms: f(online?.pgFloor?.p99),
    per_s: f(online?.pgFloor?.perS, 0),
    note: online?.pgFloor ? `same rate, C client, no server; windows' p99 (${online.pgFloor.p99Runs.map((v) => f(v)).join(', ')})` : 'not run (pgbench missing)',
  },
  {
    what: 'CPU per read (µs): in-process / HTTP / compact',
    p50_ms: '',
    p99_ms: '',
    per_s: '',
    note: `main thread ${f(online?.inProcess.cpuUsPerRead, 0)} / ${f(online?.http.cpuUsPerRead, 0)} / ${f(online?.httpCompact.cpuUsPerRead, 0)}; Postgres ${f(online?.inProcess.pgCpuUsPerRead, 0)} / ${f(online?.http.pgCpuUsPerRead, 0)} / ${f(online?.httpCompact.pgCpuUsPerRead, 0)}`,
  },
  { what: `online read, in-process @ ${online?.low?.ratePerS ?? '—'}/s`, p50_ms: f(online?.low?.inProcess.p50), p99_ms: f(online?.low?.inProcess.p99), per_s: f(online?.low?.inProcess.perS, 0), note: 'below saturation' },
  { what: `online read, HTTP @ ${online?.low?.ratePerS ?? '—'}/s`, p50_ms: f(online?.low?.http.p50), p99_ms: f(online?.low?.http.p99), per_s: f(online?.low?.http.perS, 0), note: `server-side p99 ${f(online?.low?.http.serverP99)} ms` },
  { what: 'Feast online read (reported, Redis)', p50_ms: '—', p99_ms: `< ${FEAST_REPORTED_P99_MS}`, per_s: '—', note: 'Feast’s published best case; not run here' },
]);
// The two stores side by side, every window (objects layout, then compact), against the targets.
const REDIS_TARGET_P99_MS = 2;
const floorTarget = (o: OnlineBenchResult | undefined) => (o?.pgFloor ? 1.5 * o.pgFloor.p99 + 1 : undefined);
const storeRows = [online, onlineRedis]
  .filter((o): o is OnlineBenchResult => o !== undefined)
  .map((o) => ({
    store: o.store,
    http_p99_windows_ms: o.http.p99Runs.map((v) => f(v)).join(' / '),
    compact_p99_windows_ms: o.httpCompact.p99Runs.map((v) => f(v)).join(' / '),
    floor_p99_windows_ms: o.pgFloor?.p99Runs.map((v) => f(v)).join(' / ') ?? 'not run',
    target_ms: `≤ ${f(floorTarget(o))}${o.store === 'redis' ? ` and ≤ ${REDIS_TARGET_P99_MS}` : ''}`,
    windows_within: `${o.http.p99Runs.filter((v) => v <= Math.min(floorTarget(o) ?? Infinity, o.store === 'redis' ? REDIS_TARGET_P99_MS : Infinity)).length} of ${o.http.p99Runs.length}`,
    floor: o.floorSource,
  }));
if (storeRows.length) console.table(storeRows);
console.table([
  {
    what: `PIT join ${pit?.labelRows ?? '—'} labels × ${pit?.featureRows ?? '—'} feature rows`,
    seconds: f(pit?.seconds, 1),
    peak_rss_mb: pit?.peakRssMb ?? '—',
    note: pit ? `ASOF + TTL + Parquet + profile + store; ${pit.matchedRows} rows matched` : 'not run',
  },
  {
    what: `upload + profile ${upload ? (upload.bytes / 1e6).toFixed(0) : '—'} MB CSV`,
    seconds: upload ? f(upload.bytes / 1e6 / upload.upload_mb_per_s, 1) : '—',
    peak_rss_mb: upload?.upload_peak_rss_mb ?? '—',
    note: upload ? `${upload.upload_mb_per_s} MB/s, ${upload.rows} rows` : uploadNote,
  },
]);
const r = (n: number | undefined, d = 2) => (n === undefined || Number.isNaN(n) ? null : Math.round(n * 10 ** d) / 10 ** d);
const load = await import('node:os').then((os) => os.loadavg()[0]);
console.log(`load average during the run (1 min, ${(await import('node:os')).cpus().length} cores): ${load.toFixed(1)}; dropped = not sent because 2,000 reads were pending`);
console.log(
  JSON.stringify({
    online_p99_ms: r(online?.http.p99),
    online_p99_runs_ms: online?.http.p99Runs.map((v) => r(v)) ?? null,
    online_p50_ms: r(online?.http.p50),
    online_reads_per_s: r(online?.http.perS, 0),
    online_dropped: online?.http.dropped ?? null,
    online_send_lag_p99_ms: r(online?.http.sendLagP99),
    online_server_p99_ms: r(online?.http.serverP99),
    online_inprocess_p50_ms: r(online?.inProcess.p50),
    online_inprocess_p99_ms: r(online?.inProcess.p99),
    online_inprocess_reads_per_s: r(online?.inProcess.perS, 0),
    online_cpu_us_per_read_inprocess: r(online?.inProcess.cpuUsPerRead, 0),
    online_cpu_us_per_read_http: r(online?.http.cpuUsPerRead, 0),
    online_pg_cpu_us_per_read_inprocess: r(online?.inProcess.pgCpuUsPerRead, 0),
    online_pg_cpu_us_per_read_http: r(online?.http.pgCpuUsPerRead, 0),
    online_response_bytes: online?.http.responseBytes ?? null,
    online_compact_p99_ms: r(online?.httpCompact.p99),
    online_compact_p99_runs_ms: online?.httpCompact.p99Runs.map((v) => r(v)) ?? null,
    online_compact_p50_ms: r(online?.httpCompact.p50),
    online_compact_reads_per_s: r(online?.httpCompact.perS, 0),
    online_compact_dropped: online?.httpCompact.dropped ?? null,
    online_compact_cpu_us_per_read_http: r(online?.httpCompact.cpuUsPerRead, 0),
    online_compact_pg_cpu_us_per_read_http: r(online?.httpCompact.pgCpuUsPerRead, 0),
    online_compact_response_bytes: online?.httpCompact.responseBytes ?? null,
    online_pg_floor_p50_ms: r(online?.pgFloor?.p50),
    online_pg_floor_p99_ms: r(online?.pgFloor?.p99),
    online_pg_floor_p99_runs_ms: online?.pgFloor?.p99Runs.map((v) => r(v)) ?? null,
    online_low_rate_per_s: online?.low?.ratePerS ?? null,
    online_pg_p99_target_ms: r(floorTarget(online)),
    online_pg_windows_within_target: online?.pgFloor ? online.http.p99Runs.filter((v) => v <= floorTarget(online)!).length : null,
    online_redis_p99_ms: r(onlineRedis?.http.p99),
    online_redis_p99_runs_ms: onlineRedis?.http.p99Runs.map((v) => r(v)) ?? null,
    online_redis_p50_ms: r(onlineRedis?.http.p50),
    online_redis_reads_per_s: r(onlineRedis?.http.perS, 0),
    online_redis_dropped: onlineRedis?.http.dropped ?? null,
    online_redis_server_p99_ms: r(onlineRedis?.http.serverP99),
    online_redis_compact_p99_runs_ms: onlineRedis?.httpCompact.p99Runs.map((v) => r(v)) ?? null,
    online_redis_inprocess_p99_ms: r(onlineRedis?.inProcess.p99),
    online_redis_cpu_us_per_read_http: r(onlineRedis?.http.cpuUsPerRead, 0),
    online_redis_floor_p50_ms: r(onlineRedis?.pgFloor?.p50),
    online_redis_floor_p99_ms: r(onlineRedis?.pgFloor?.p99),
    online_redis_floor_p99_runs_ms: onlineRedis?.pgFloor?.p99Runs.map((v) => r(v)) ?? null,
    online_redis_p99_target_ms: onlineRedis ? r(Math.min(floorTarget(onlineRedis) ?? Infinity, REDIS_TARGET_P99_MS)) : null,
    online_redis_windows_within_target: onlineRedis
      ? onlineRedis.http.p99Runs.filter((v) => v <= Math.min(floorTarget(onlineRedis) ?? Infinity, REDIS_TARGET_P99_MS)).length
      : null,
    online_redis_vs_pg_p99: online && onlineRedis ? r(onlineRedis.http.p99 / online.http.p99, 3) : null,
    online_low_rate_p99_ms: r(online?.low?.http.p99),
    online_low_rate_inprocess_p99_ms: r(online?.low?.inProcess.p99),
    feast_reported_p99_ms: FEAST_REPORTED_P99_MS,
    online_p99_vs_feast: online ? r(online.http.p99 / FEAST_REPORTED_P99_MS) : null,
    pit_join_s: r(pit?.seconds, 1),
    pit_peak_rss_mb: pit?.peakRssMb ?? null,
    pit_label_rows: pit?.labelRows ?? null,
    pit_feature_rows: pit?.featureRows ?? null,
    upload_mb_per_s: upload?.upload_mb_per_s ?? null,
    upload_peak_rss_mb: upload?.upload_peak_rss_mb ?? null,
    load_average_1m: Math.round(load * 10) / 10,
  }),
);
