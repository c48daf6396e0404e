// `npm run bench -- training-scale [--sizes 2m,5m,10m] [--compare 1m] [--epochs 1]` (issue 17): training
// data at scale. Generates its own data with DuckDB (N rows × 20 FLOAT features + a 0/1 label, Parquet),
// then, each in a fresh child process so its peak RSS is its own:
//   - streamed training (the orchestrator's path over a version above its memory budget: one pass for
//     statistics, then epochs over Parquet row groups through the shuffle buffer) at every size:
//     peak RSS (`peak_rss_mb_<size>`; target ≤ 1.5 GB and flat);
//   - on the `--compare` size (one that fits in memory): an epoch in memory vs an epoch streamed,
//     samples/s (`stream_vs_memory`, target ≥ 0.9), and the in-memory path's peak RSS for reference.
// Loading: feature-store's columnar reader (DuckDB chunks → Float64Array) against DuckDB's own scan of the
// same file into its own typed columns (CREATE TABLE AS, same threads), in the same run (`load_vs_duckdb`,
// target ≥ 0.8), plus node-api's value API (chunk.getColumnVector(i).getItem(r)) for reference.
// Training: logistic regression, 20 standardized features, Adam, batch 256, on @atelier/engine-cpu.
// Batch scoring (issue 17 item 3) lives with its own bench; if `bench/training-scale.batch-scoring.ts`
// exists it is imported and its `measureBatchScoring(ctx)` keys are merged into this JSON line (the hook).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbSession, readQueryColumnChunks, readQueryColumns, sqlLiteral, type ColumnChunk, type ColumnRead } from '@atelier/feature-store';

const here = dirname(fileURLToPath(import.meta.url));
const FEATURES = Array.from({ length: 20 }, (_, i) => `f${i}`);
const BATCH = 256;

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`bad size '${s}' (use e.g. 200k, 2m, 1500000)`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1));
}
function sizeName(n: number): string {
  return n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}
function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

const spec = (epochs: number) => ({
  modelName: 'scale',
  data: { dataset: 'scale', version: 1 },
  label: 'y',
  features: FEATURES.map((name) => ({ name, type: 'numeric' as const, transform: 'standardize' as const })),
  model: { kind: 'logistic' as const },
  maxEpochs: epochs,
  batchSize: BATCH,
  optimizer: { kind: 'adam' as const, lr: 0.01 },
  seed: 1,
});
const WANTED: Record<string, ColumnRead> = Object.fromEntries([...FEATURES.map((f) => [f, 'number' as ColumnRead]), ['y', 'number' as ColumnRead]]);
const querySql = (path: string) => `SELECT ${Object.keys(WANTED).map((c) => `CAST("${c}" AS DOUBLE) AS "${c}"`).join(', ')} FROM read_parquet(${sqlLiteral(path)})`;
const reads = Object.keys(WANTED).map((name) => ({ name, read: WANTED[name] }));

// ------------------------------------------------------------------ child: one measured run
interface ChildResult {
  peakRssMb: number;
  epochMs: number[];
  trainRows: number;
  wallMs: number;
  valAuc?: number;
}

async function child(mode: string, path: string, epochs: number): Promise<void> {
  await import('@atelier/engine-cpu'); // the native backend, as in the orchestrator's training thread
  const { runTraining } = await import('../apps/training-orchestrator/src/training-core.js');
  const { runStreamingTraining } = await import('../apps/training-orchestrator/src/training-stream.js');
  const epochMs: number[] = [];
  const hooks = { onEpoch: (r: { durationMs: number }) => void epochMs.push(r.durationMs) };
  const t0 = performance.now();
  let outcome;
  if (mode === 'memory') {
    const table = await (async () => {
      const db = await DuckDbSession.open({ threads: 1, memoryLimitMb: 256 });
      try {
        return await readQueryColumns(db, querySql(path), reads);
      } finally {
        db.close();
      }
    })();
    outcome = await runTraining(spec(epochs), table, hooks);
  } else {
    const source = async function* (): AsyncGenerator<ColumnChunk> {
      const db = await DuckDbSession.open({ threads: 1, memoryLimitMb: 128 });
      try {
        yield* readQueryColumnChunks(db, querySql(path), reads, { chunkRows: 65_536 });
      } finally {
        db.close();
      }
    };
    outcome = await runStreamingTraining(spec(epochs), source, hooks);
  }
  const out: ChildResult = {
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    epochMs,
    trainRows: outcome.rows.train,
    wallMs: Math.round(performance.now() - t0),
    valAuc: outcome.validationMetrics.val_auc,
  };
  console.log(`RESULT ${JSON.stringify(out)}`);
}

function runChild(mode: 'memory' | 'stream', path: string, epochs: number): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, TRAINING_SCALE_CHILD: JSON.stringify({ mode, path, epochs }) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`${mode} child on ${path} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice(7)) as ChildResult;
}

// ------------------------------------------------------------------ parent
async function generate(db: DuckDbSession, path: string, rows: number): Promise<void> {
  if (existsSync(path)) return;
  const cols = FEATURES.map((f) => `CAST(random() * 2 - 1 AS FLOAT) AS ${f}`).join(', ');
  const z = FEATURES.map((f, i) => `${((i % 5) - 2) * 0.4 + 0.1} * ${f}`).join(' + ');
  await db.exec(`SELECT setseed(0.17)`);
  await db.exec(
    `COPY (SELECT *, CASE WHEN ${z} + (random() - 0.5) > 0 THEN 1 ELSE 0 END::INTEGER AS y FROM (SELECT ${cols} FROM range(${rows}))) TO ${sqlLiteral(path)} (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function loadComparison(path: string, rows: number): Promise<{ ours: number; duckdb: number; nodeApiValues: number }> {
  const RUNS = 3;
  const ours: number[] = [];
  const duck: number[] = [];
  const values: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // DuckDB's own scan into its own typed columns (no copy out): the floor.
    await (async () => {
      const db = await DuckDbSession.open({ threads: 2, memoryLimitMb: 2048 });
      try {
        const t = performance.now();
        await db.exec(`CREATE TABLE t AS ${querySql(path)}`);
        duck.push(performance.now() - t);
      } finally {
        db.close();
      }
    })();
    // feature-store's columnar reader: the same query into one Float64Array per column.
    await (async () => {
      const db = await DuckDbSession.open({ threads: 2, memoryLimitMb: 256 });
      try {
        const t = performance.now();
        const table = await readQueryColumns(db, querySql(path), reads, { expectedRows: rows });
        ours.push(performance.now() - t);
        if (table.numRows !== rows) throw new Error(`read ${table.numRows} rows, expected ${rows}`);
      } finally {
        db.close();
      }
    })();
    // node-api's value API over the same chunks (getItem per value), into Float64Arrays.
    await (async () => {
      const db = await DuckDbSession.open({ threads: 2, memoryLimitMb: 256 });
      try {
        const t = performance.now();
        const cols = reads.map(() => new Float64Array(rows));
        let n = 0;
        for await (const chunk of db.streamChunks(querySql(path))) {
          for (let c = 0; c < cols.length; c++) {
            const v = chunk.getColumnVector(c);
            const out = cols[c];
            for (let r = 0; r < chunk.rowCount; r++) out[n + r] = (v.getItem(r) as number | null) ?? NaN;
          }
          n += chunk.rowCount;
        }
        values.push(performance.now() - t);
      } finally {
        db.close();
      }
    })();
  }
  return { ours: median(ours), duckdb: median(duck), nodeApiValues: median(values) };
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '2m,5m,10m').split(',').filter(Boolean).map(parseSize);
  const compare = parseSize(arg('compare', sizes.length && Math.min(...sizes) < 1e6 ? sizeName(Math.min(...sizes)) : '1m'));
  const epochs = Number(arg('epochs', '1'));
  const dataDir = process.env.TRAINING_SCALE_DIR ?? mkdtempSync(join(tmpdir(), 'atelier-training-scale-'));
  const keep = !!process.env.TRAINING_SCALE_DIR;
  const load0 = loadavg()[0];
  console.log(`training-scale: sizes ${sizes.map(sizeName).join(', ')}; compare on ${sizeName(compare)}; ${epochs} epoch(s); data in ${dataDir}; load average ${load0.toFixed(2)}`);
  const files = new Map<number, string>();
  const gen = await DuckDbSession.open({ threads: 2, memoryLimitMb: 1024 });
  try {
    for (const n of new Set([...sizes, compare])) {
      const path = join(dataDir, `scale-${sizeName(n)}.parquet`);
      const t = performance.now();
      await generate(gen, path, n);
      files.set(n, path);
      console.log(`  generated ${sizeName(n)} rows → ${(statSync(path).size / 1e6).toFixed(0)} MB Parquet in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    gen.close();
  }

  const json: Record<string, number | string> = {};
  try {
    // Loading throughput on the compare size.
    const load = await loadComparison(files.get(compare)!, compare);
    const rps = (ms: number) => compare / (ms / 1000);
    console.log(`\nload ${sizeName(compare)} rows × 21 columns (2 DuckDB threads, median of 3):`);
    console.log(`  DuckDB scan into its own columns (CREATE TABLE AS)   ${(load.duckdb / 1000).toFixed(2)} s   ${(rps(load.duckdb) / 1e6).toFixed(2)} M rows/s`);
    console.log(`  feature-store columnar reader → Float64Array         ${(load.ours / 1000).toFixed(2)} s   ${(rps(load.ours) / 1e6).toFixed(2)} M rows/s`);
    console.log(`  node-api getItem per value → Float64Array            ${(load.nodeApiValues / 1000).toFixed(2)} s   ${(rps(load.nodeApiValues) / 1e6).toFixed(2)} M rows/s`);
    json.load_vs_duckdb = Number((load.duckdb / load.ours).toFixed(3));
    json.load_vs_node_api_values = Number((load.nodeApiValues / load.ours).toFixed(3));
    json.load_rows_per_s = Math.round(rps(load.ours));

    // In memory vs streamed on the compare size (2 epochs: the second is the warm one compared).
    const cmpEpochs = Math.max(2, epochs);
    const mem = runChild('memory', files.get(compare)!, cmpEpochs);
    const str = runChild('stream', files.get(compare)!, cmpEpochs);
    const sps = (r: ChildResult) => r.trainRows / (r.epochMs.at(-1)! / 1000);
    console.log(`\nepoch on ${sizeName(compare)} rows (logistic, 20 features, batch ${BATCH}; last of ${cmpEpochs} epochs):`);
    console.log(`  in memory   ${(r2(sps(mem)) / 1e3).toFixed(0)} k samples/s   peak RSS ${mem.peakRssMb} MB   val AUC ${mem.valAuc?.toFixed(4)}`);
    console.log(`  streamed    ${(r2(sps(str)) / 1e3).toFixed(0)} k samples/s   peak RSS ${str.peakRssMb} MB   val AUC ${str.valAuc?.toFixed(4)}`);
    json.stream_vs_memory = Number((sps(str) / sps(mem)).toFixed(3));
    json[`memory_peak_rss_mb_${sizeName(compare)}`] = mem.peakRssMb;
    json.stream_samples_per_s = Math.round(sps(str));
    json.memory_samples_per_s = Math.round(sps(mem));

    // Streamed training at every size.
    console.log(`\nstreamed training, ${epochs} epoch(s):`);
    for (const n of sizes) {
      const r = runChild('stream', files.get(n)!, epochs);
      console.log(`  ${sizeName(n).padStart(5)} rows   peak RSS ${String(r.peakRssMb).padStart(5)} MB   epoch ${(r.epochMs.at(-1)! / 1000).toFixed(1)} s   wall ${(r.wallMs / 1000).toFixed(1)} s   val AUC ${r.valAuc?.toFixed(4)}`);
      json[`peak_rss_mb_${sizeName(n)}`] = r.peakRssMb;
    }

    // The batch-scoring hook (another branch supplies the module).
    const hook = join(here, 'training-scale.batch-scoring.ts');
    if (existsSync(hook)) {
      const mod = (await import(hook)) as { measureBatchScoring?: (ctx: { files: Map<number, string>; dataDir: string }) => Promise<Record<string, number>> };
      if (mod.measureBatchScoring) Object.assign(json, await mod.measureBatchScoring({ files, dataDir }));
    }
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
  json.load_average_start = Number(load0.toFixed(2));
  console.log(JSON.stringify(json));
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

const childSpec = process.env.TRAINING_SCALE_CHILD;
if (childSpec) {
  const { mode, path, epochs } = JSON.parse(childSpec) as { mode: string; path: string; epochs: number };
  await child(mode, path, epochs);
} else {
  await main();
}
