// Dataset upload throughput and memory: generates a CSV on disk (DuckDB COPY, streamed; 12 numeric /
// categorical columns), uploads it through DatasetsService (spool + hash → DuckDB strict validation + profile →
// filesystem artifact store → catalog row on Postgres (DATABASE_URL) or embedded PGlite) and samples RSS.
// Memory must not grow with the file: run it at two sizes and compare the peaks.
//
// `benchUpload()` is called by bench/features.bench.ts; run alone with
//   npx tsx bench/features-upload.ts [MB ...]      (default: 250 1000)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import { createCatalog, type CatalogConfig } from '../packages/catalog/src/index.js';
import { DatasetsService, sqlLiteral, withDuckDb } from '../packages/feature-store/src/index.js';

export interface UploadBenchResult {
  upload_mb_per_s: number;
  upload_peak_rss_mb: number;
  /** RSS just before the upload (Node + PGlite + DuckDB libraries): the peak minus this is what the upload used. */
  upload_baseline_rss_mb: number;
  rows: number;
  bytes: number;
}

export interface UploadBenchOptions {
  /** Size of the generated CSV in MB (1e6 bytes). Default 1000. */
  targetMb?: number;
  /** Where the CSV, artifacts, PGlite and caches go. Default: a temp dir, removed afterwards. */
  dir?: string;
  /** DuckDB bounds for profiling (defaults 512 MB, 2 threads). */
  duckdbMemoryLimitMb?: number;
  duckdbThreads?: number;
  log?: (line: string) => void;
}

/** One generated row per `range` value, deterministic (hash-based): 12 numeric / categorical columns. */
const ROWS_SQL = (n: number) => `
  SELECT range AS id,
         hash(range) % 100000 AS user_id,
         DATE '2024-01-01' + CAST(range % 366 AS INTEGER) AS day,
         round((hash(range * 3) % 50000) / 100.0, 2) AS price,
         1 + hash(range * 5) % 9 AS qty,
         round((hash(range * 11) % 2000000) / 1000000.0 - 1, 6) AS score,
         'cat_' || (hash(range * 13) % 20) AS category,
         'C' || (hash(range * 17) % 50) AS country,
         ['ios', 'android', 'web', 'tv', 'other'][CAST(1 + hash(range * 19) % 5 AS BIGINT)] AS device,
         hash(range * 23) % 10 < 3 AS is_new,
         CASE WHEN hash(range * 29) % 10 = 0 THEN NULL ELSE round(1 + (hash(range * 31) % 400) / 100.0, 2) END AS rating,
         CAST(hash(range * 37) % 5 = 0 AS INTEGER) AS label
  FROM range(${n})`;

/** Writes about `targetBytes` of CSV (DuckDB COPY streams it to disk in bounded memory); returns rows written. */
async function generateCsv(path: string, targetBytes: number): Promise<number> {
  return withDuckDb({ memoryLimitMb: 256, threads: 2 }, async (db) => {
    await db.exec(`COPY (${ROWS_SQL(100_000)}) TO ${sqlLiteral(path)} (HEADER, DELIMITER ',')`);
    const rows = Math.max(1, Math.round((targetBytes / statSync(path).size) * 100_000));
    await db.exec(`COPY (${ROWS_SQL(rows)}) TO ${sqlLiteral(path)} (HEADER, DELIMITER ',')`);
    return rows;
  });
}

/**
 * Postgres when DATABASE_URL is set (a scratch database, dropped afterwards; the pg client is light, so
 * RSS shows the upload path), else embedded PGlite (its WASM heap adds several hundred MB of baseline RSS).
 */
export async function openBenchDatabase(dir: string): Promise<{ kind: string; config: CatalogConfig; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { kind: 'pglite', config: { dataDir: join(dir, 'db') }, drop: async () => {} };
  const name = `atelier_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { kind: 'postgres', config: { databaseUrl: u.toString() }, drop: () => admin(`drop database if exists ${name} with (force)`) };
}

function generateInChild(path: string, targetBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--generate', path, String(targetBytes)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`CSV generator exited with ${code}`))));
  });
}

export async function benchUpload(opts: UploadBenchOptions = {}): Promise<UploadBenchResult> {
  const targetMb = opts.targetMb ?? 1000;
  const log = opts.log ?? (() => {});
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'atelier-bench-upload-'));
  const csv = join(dir, 'upload.csv');
  const db = await openBenchDatabase(dir);
  const catalog = await createCatalog(db.config);
  const artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  try {
    const t0 = performance.now();
    // In a child process: DuckDB's allocator keeps what it used, which would inflate this process's RSS.
    const rows = await generateInChild(csv, targetMb * 1e6);
    const bytes = statSync(csv).size;
    log(`catalog on ${db.kind}`);
    log(`generated ${(bytes / 1e6).toFixed(0)} MB, ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const datasets = new DatasetsService(catalog, artifacts, {
      workDir: join(dir, 'work'),
      uploadLimitBytes: 64 * 1024 ** 3,
      duckdbMemoryLimitMb: opts.duckdbMemoryLimitMb ?? 512,
      duckdbThreads: opts.duckdbThreads ?? 2,
    });
    const project = await catalog.projects.create({ name: `bench-${Date.now()}` });
    await datasets.createDataset(project.id, { name: 'events' });

    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    const start = performance.now();
    let result;
    try {
      result = await datasets.uploadVersion(project.id, 'events', createReadStream(csv, { highWaterMark: 1 << 20 }), { format: 'csv' });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    const seconds = (performance.now() - start) / 1000;
    if (result.version.rowCount !== rows) throw new Error(`profiled ${result.version.rowCount} rows, generated ${rows}`);
    log(
      `uploaded + profiled in ${seconds.toFixed(1)} s; RSS before ${(rssBefore / 2 ** 20).toFixed(0)} MB, peak ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
    return {
      upload_mb_per_s: Math.round((bytes / 1e6 / seconds) * 10) / 10,
      upload_peak_rss_mb: Math.round(peak / 2 ** 20),
      upload_baseline_rss_mb: Math.round(rssBefore / 2 ** 20),
      rows,
      bytes,
    };
  } finally {
    await artifacts.close();
    await catalog.close();
    await db.drop();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--generate') {
  process.stdout.write(`${await generateCsv(process.argv[3], Number(process.argv[4]))}\n`);
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const results: Record<string, UploadBenchResult> = {};
  for (const mb of sizes.length ? sizes : [250, 1000]) {
    results[`${mb}mb`] = await benchUpload({ targetMb: mb, log: (l) => console.log(`[${mb} MB] ${l}`) });
  }
  console.table(results);
  console.log(JSON.stringify(results));
}
