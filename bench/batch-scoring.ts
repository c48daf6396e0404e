// Batch scoring throughput and memory: a Parquet dataset version of N rows × 20 numeric features is
// scored by a logistic model (trained first, on a small sample, by the orchestrator) through the real
// batch-prediction job — claimed by an orchestrator worker in this process, read in column chunks,
// scored on the engine's inference path, written as Parquet through the scratch table, profiled and
// registered as a new dataset version — while this process's RSS is sampled every 20 ms. Memory must
// not grow with N: run two sizes and compare the peaks.
//
// Peer, in the same run: DuckDB computing a logistic over the same 20 columns in SQL and writing the
// same Parquet (id + probability), in a child process — the floor for "read, score, write" on this
// machine. `batch_score_vs_duckdb_sql` is our rows/s over its rows/s.
//
// `benchBatchScoring()` is exported for other benches (training-scale); run alone with
//   npx tsx bench/batch-scoring.ts [--rows 10000000[,1000000]] [--chunk-rows 8192]
//   npm run bench -- batch-scoring [--rows …]
// Catalog: Postgres when DATABASE_URL is set (a scratch database, dropped), else embedded PGlite.
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import { createCatalog, type Catalog, type TrainingJob } from '../packages/catalog/src/index.js';
import type { BatchPredictJobSpec } from '../packages/contracts/src/index.js';
import { DatasetsService, sqlLiteral, withDuckDb } from '../packages/feature-store/src/index.js';
import { defaultOrchestratorConfig, start as startOrchestrator } from '../apps/training-orchestrator/src/index.js';
import { openBenchDatabase } from './features-upload.js';

export interface BatchScoringBenchResult {
  /** Rows over the job's whole run (claim → committed version: read, score, write, profile, store). */
  batch_score_rows_per_s: number;
  /** Peak RSS of the process running the worker, during the job. */
  batch_score_peak_rss_mb: number;
  /** RSS just before the job (Node, the catalog, the engine, DuckDB's libraries). */
  batch_score_baseline_rss_mb: number;
  /** Rows/s of the scoring loop alone (read chunks → score → append), as the job records it. */
  batch_score_loop_rows_per_s: number;
  /** DuckDB SQL computing a logistic over the same columns and writing the same Parquet (child process). */
  duckdb_sql_rows_per_s: number;
  batch_score_vs_duckdb_sql: number;
  rows: number;
  input_bytes: number;
}

export interface BatchScoringBenchOptions {
  /** Rows to score. Default 10,000,000. */
  rows?: number;
  /** Rows per forward pass. Default: the job's default (8192). */
  chunkRows?: number;
  /** Where data, artifacts and scratch files go. Default: a temp dir, removed afterwards. */
  dir?: string;
  log?: (line: string) => void;
}

const FEATURES = 20;
const featureNames = Array.from({ length: FEATURES }, (_, i) => `f${i}`);

/** Deterministic rows: 20 features in [-1, 1) and a label from a fixed linear rule plus noise. */
const ROWS_SQL = (n: number, salt: number) => {
  const f = featureNames.map((name, i) => `((hash(range * ${2 * i + 3} + ${salt}) % 2000000) / 1000000.0 - 1) AS ${name}`);
  return `SELECT range AS id, ${f.join(', ')} FROM range(${n})`;
};
const LABELED_SQL = (n: number, salt: number) =>
  `SELECT *, CAST(${featureNames.map((n, i) => `${((i % 5) - 2) / 2} * ${n}`).join(' + ')} + ((hash(id * 7 + ${salt}) % 1000) / 1000.0 - 0.5) > 0 AS INTEGER) AS label FROM (${ROWS_SQL(n, salt)})`;

async function generate(parquet: string, rows: number, trainCsv: string): Promise<void> {
  await withDuckDb({ memoryLimitMb: 256, threads: 2, preserveInsertionOrder: true }, async (db) => {
    await db.exec(`COPY (${LABELED_SQL(rows, 1)}) TO ${sqlLiteral(parquet)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    await db.exec(`COPY (${LABELED_SQL(5000, 2)}) TO ${sqlLiteral(trainCsv)} (HEADER, DELIMITER ',')`);
  });
}

/** The peer: read, score (a logistic in SQL) and write the same Parquet shape; returns seconds. */
async function duckdbPeer(parquet: string, out: string): Promise<number> {
  const z = featureNames.map((n, i) => `${(0.1 * ((i % 7) - 3)).toFixed(1)} * ${n}`).join(' + ');
  const t0 = performance.now();
  await withDuckDb({ memoryLimitMb: 256, threads: 1 }, (db) =>
    db.exec(`COPY (SELECT id, 1 / (1 + exp(-(${z} + 0.1))) AS probability FROM read_parquet(${sqlLiteral(parquet)})) TO ${sqlLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`),
  );
  return (performance.now() - t0) / 1000;
}

/** Runs this file in a child with `args`; returns its last stdout line. DuckDB's allocator keeps what it used, so heavy DuckDB work stays out of the measured process. */
function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1) ?? '') : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}

async function waitJob(catalog: Catalog, id: string, timeoutMs: number): Promise<TrainingJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const j = await catalog.trainingJobs.get(id);
    if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish in ${timeoutMs / 1000} s (${j.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchBatchScoring(opts: BatchScoringBenchOptions = {}): Promise<BatchScoringBenchResult> {
  const rows = opts.rows ?? 10_000_000;
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'atelier-bench-batch-'));
  mkdirSync(dir, { recursive: true });
  const parquet = join(dir, 'input.parquet');
  const trainCsv = join(dir, 'train.csv');
  const db = await openBenchDatabase(dir);
  const catalog = await createCatalog(db.config);
  const artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  let worker: Awaited<ReturnType<typeof startOrchestrator>> | undefined;
  try {
    let t0 = performance.now();
    await child(['--generate', parquet, String(rows), trainCsv]);
    const inputBytes = statSync(parquet).size;
    log(`catalog on ${db.kind}; generated ${rows} rows × ${FEATURES} features (${(inputBytes / 1e6).toFixed(0)} MB Parquet) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const project = await catalog.projects.create({ name: `bench-batch-${Date.now()}` });
    const datasets = new DatasetsService(catalog, artifacts, { workDir: join(dir, 'datasets'), uploadLimitBytes: 64 * 1024 ** 3, duckdbMemoryLimitMb: 256, duckdbThreads: 1 });
    await datasets.createDataset(project.id, { name: 'train' });
    await datasets.uploadVersion(project.id, 'train', createReadStream(trainCsv), { format: 'csv' });
    // The input: stored under its content key with the schema the datasets module records for it
    // (profiling it is an upload's cost, not batch scoring's).
    const input = await catalog.datasets.create({ projectId: project.id, name: 'input' });
    const put = await artifacts.put(`datasets/${input.id}/sha256/bench.parquet`, createReadStream(parquet), { contentType: 'application/vnd.apache.parquet' });
    const column = (name: string, type: string, duckdbType: string) => ({ name, type, duckdbType, nullable: false });
    const inputVersion = await catalog.datasets.createVersion({
      datasetId: input.id,
      format: 'parquet',
      artifactKey: put.key,
      sha256: put.sha256,
      sizeBytes: put.size,
      rowCount: rows,
      schema: { columns: [column('id', 'integer', 'BIGINT'), ...featureNames.map((n) => column(n, 'float', 'DOUBLE')), column('label', 'integer', 'INTEGER')] },
    });

    worker = await startOrchestrator(
      defaultOrchestratorConfig({ workerId: 'bench-batch', cores: 2, pollIntervalMs: 100, batchWorkDir: join(dir, 'batch') }),
      { catalog, artifacts, log: () => {} },
    );
    const train = await catalog.trainingJobs.create({
      projectId: project.id,
      modelName: 'scorer',
      device: 'cpu',
      spec: {
        type: 'train',
        modelName: 'scorer',
        data: { dataset: 'train', version: 1 },
        label: 'label',
        features: featureNames.map((name) => ({ name, type: 'numeric', transform: 'standardize' })),
        model: { kind: 'logistic' },
        maxEpochs: 3,
        seed: 1,
      },
    });
    const trained = await waitJob(catalog, train.id, 300_000);
    if (trained.status !== 'succeeded') throw new Error(`training the scorer failed: ${trained.error}`);
    log(`trained a logistic model on 5000 rows (test auc ${JSON.stringify((trained.metrics.test as Record<string, number>)?.auc)})`);

    const spec: BatchPredictJobSpec = {
      type: 'batch_predict',
      modelVersionId: trained.modelVersionId!,
      modelVersion: 1,
      alias: null,
      input: { dataset: 'input', version: inputVersion.version, versionId: inputVersion.id, rows },
      output: { dataset: 'scores' },
      passthroughColumns: ['id'],
      outputs: ['probabilities', 'class'],
      chunkRows: opts.chunkRows ?? 8192,
    };
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    t0 = performance.now();
    let job: TrainingJob;
    try {
      const created = await catalog.trainingJobs.create({ projectId: project.id, modelName: 'scorer', spec, device: 'cpu' });
      job = await waitJob(catalog, created.id, 3 * 3600_000);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    if (job.status !== 'succeeded') throw new Error(`the batch prediction ${job.status}: ${job.error}`);
    const seconds = (job.finishedAt!.getTime() - job.startedAt!.getTime()) / 1000;
    const out = await catalog.datasets.getVersion((await catalog.datasets.getByName(project.id, 'scores')).id, 1);
    if (Number(out.rowCount) !== rows) throw new Error(`the output has ${out.rowCount} rows, the input ${rows}`);
    log(`scored + published in ${seconds.toFixed(1)} s (wall ${((performance.now() - t0) / 1000).toFixed(1)} s); RSS before ${(rssBefore / 2 ** 20).toFixed(0)} MB, peak ${(peak / 2 ** 20).toFixed(0)} MB`);
    log(`time split (s): ${JSON.stringify(job.metrics.seconds)} (read + score + append, Parquet COPY, profile + store + register)`);

    const peerSeconds = Number(await child(['--peer', parquet, join(dir, 'peer.parquet')]));
    log(`DuckDB SQL peer: ${peerSeconds.toFixed(1)} s`);
    const ours = rows / seconds;
    const peer = rows / peerSeconds;
    return {
      batch_score_rows_per_s: Math.round(ours),
      batch_score_peak_rss_mb: Math.round(peak / 2 ** 20),
      batch_score_baseline_rss_mb: Math.round(rssBefore / 2 ** 20),
      batch_score_loop_rows_per_s: Number(job.metrics.rowsPerSecond ?? 0),
      duckdb_sql_rows_per_s: Math.round(peer),
      batch_score_vs_duckdb_sql: Math.round((ours / peer) * 1000) / 1000,
      rows,
      input_bytes: inputBytes,
    };
  } finally {
    await worker?.stop();
    await artifacts.close();
    await catalog.close();
    await db.drop();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** `--rows 10000000,1000000` and `--chunk-rows 8192` from argv. */
export function batchScoringArgs(argv: string[]): { rows: number[]; chunkRows?: number } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rows = (value('--rows') ?? '10000000').split(',').map(Number);
  if (rows.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--rows takes positive integers separated by commas (got ${value('--rows')})`);
  const chunk = value('--chunk-rows');
  return { rows, ...(chunk !== undefined && { chunkRows: Number(chunk) }) };
}

/** Runs the bench for each size; prints the table and, last, one JSON line (the largest size's keys, plus per-size peaks). */
export async function runBatchScoringBench(argv: string[]): Promise<void> {
  const { rows, chunkRows } = batchScoringArgs(argv);
  const results: Record<string, BatchScoringBenchResult> = {};
  for (const n of rows) results[`${n}`] = await benchBatchScoring({ rows: n, ...(chunkRows && { chunkRows }), log: (l) => console.log(`[${n} rows] ${l}`) });
  console.table(results);
  const largest = results[String(Math.max(...rows))];
  const perSize = Object.fromEntries(Object.entries(results).map(([n, r]) => [`batch_score_peak_rss_mb_${n}`, r.batch_score_peak_rss_mb]));
  console.log(JSON.stringify({ ...largest, ...perSize }));
}

const self = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (self && process.argv[2] === '--generate') {
  await generate(process.argv[3], Number(process.argv[4]), process.argv[5]);
} else if (self && process.argv[2] === '--peer') {
  process.stdout.write(`${await duckdbPeer(process.argv[3], process.argv[4])}\n`);
} else if (self) {
  await runBatchScoringBench(process.argv.slice(2));
}
