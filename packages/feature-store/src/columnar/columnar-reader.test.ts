// The columnar reader on a real database (Postgres when DATABASE_URL is set), a real filesystem
// artifact store and real CSV / Parquet files uploaded through DatasetsService: every value and every
// null lands in the right row, whether the rows come in one load or in chunks that cut across DuckDB's
// own 2,048-row chunks.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion } from '@atelier/catalog';
import { createTestDatabase, type TestDatabase } from '../../../../test/database.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { DuckDbSession, sqlLiteral } from '../duckdb/duckdb-session.js';
import {
  DatasetLoadError,
  loadDatasetVersionColumns,
  readDatasetVersionChunks,
  readParquetColumnChunks,
  resolveDatasetVersion,
  storedColumns,
  type ColumnChunk,
  type ColumnRead,
} from './columnar-reader.js';
import { ensureParquetCopy } from './parquet-cache.js';

let database: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dir: string;
let projectId: string;
let otherProjectId: string;
let csvVersion: DatasetVersion;
let parquetVersion: DatasetVersion;

const N = 5000;
// Row i: x = i / 4 (missing when i % 7 == 3), name = 'n' + (i % 5) (missing when i % 11 == 0),
// at = 2024-01-01 + i seconds, y = i % 2.
function csvText(): string {
  const lines = ['x,name,at,y'];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < N; i++) {
    const x = i % 7 === 3 ? '' : String(i / 4);
    const name = i % 11 === 0 ? '' : `n${i % 5}`;
    const at = new Date(t0 + i * 1000).toISOString().replace('T', ' ').replace('Z', '');
    lines.push(`${x},${name},${at},${i % 2}`);
  }
  return lines.join('\n') + '\n';
}

const WANTED: Record<string, ColumnRead> = { x: 'number', name: 'text', at: 'time', y: 'float32' };

function checkRow(columns: ColumnChunk['columns'], k: number, i: number): void {
  const x = (columns.x as Float64Array)[k];
  if (i % 7 === 3) expect(Number.isNaN(x)).toBe(true);
  else expect(x).toBe(i / 4);
  expect((columns.name as Array<string | null>)[k]).toBe(i % 11 === 0 ? null : `n${i % 5}`);
  expect((columns.at as Float64Array)[k]).toBe(Date.UTC(2024, 0, 1) + i * 1000);
  expect((columns.y as Float32Array)[k]).toBe(i % 2);
}

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await database.openCatalog();
  dir = mkdtempSync(join(tmpdir(), 'atelier-columnar-'));
  artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  projectId = (await catalog.projects.create({ name: 'columnar' })).id;
  otherProjectId = (await catalog.projects.create({ name: 'columnar-other' })).id;
  const datasets = new DatasetsService(catalog, artifacts, { workDir: join(dir, 'work'), uploadLimitBytes: 64 * 1024 * 1024, duckdbMemoryLimitMb: 128, duckdbThreads: 1 });
  await datasets.createDataset(projectId, { name: 'events' });
  const csv = await datasets.uploadVersion(projectId, 'events', Buffer.from(csvText()), { format: 'csv' });
  csvVersion = (await catalog.datasets.findVersionById(csv.version.id))!;
  // The same rows as Parquet, written by DuckDB from the CSV.
  const csvPath = join(dir, 'events.csv');
  const parquetPath = join(dir, 'events.parquet');
  const { writeFileSync, readFileSync } = await import('node:fs');
  writeFileSync(csvPath, csvText());
  const db = await DuckDbSession.open({ threads: 1, memoryLimitMb: 128 });
  try {
    await db.exec(`COPY (SELECT * FROM read_csv(${sqlLiteral(csvPath)}, header=true, types={'at': 'TIMESTAMP'})) TO ${sqlLiteral(parquetPath)} (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
  } finally {
    db.close();
  }
  await datasets.createDataset(projectId, { name: 'events-pq' });
  const pq = await datasets.uploadVersion(projectId, 'events-pq', readFileSync(parquetPath), { format: 'parquet' });
  parquetVersion = (await catalog.datasets.findVersionById(pq.version.id))!;
});

afterAll(async () => {
  await artifacts?.close();
  await catalog?.close();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('columnar reader', () => {
  it('loads every row of a CSV version into typed arrays, nulls as NaN / null', async () => {
    const table = await loadDatasetVersionColumns(artifacts, csvVersion, WANTED);
    expect(table.numRows).toBe(N);
    expect(table.columns.x).toBeInstanceOf(Float64Array);
    expect(table.columns.y).toBeInstanceOf(Float32Array);
    expect(table.columns.at).toBeInstanceOf(Float64Array);
    expect(Array.isArray(table.columns.name)).toBe(true);
    for (let i = 0; i < N; i++) checkRow(table.columns, i, i);
  });

  it('streams a version in chunks that cut across DuckDB chunks, rows in file order', async () => {
    for (const version of [csvVersion, parquetVersion]) {
      const chunks: ColumnChunk[] = [];
      for await (const c of readDatasetVersionChunks(artifacts, version, WANTED, { chunkRows: 1500 })) chunks.push(c);
      expect(chunks.map((c) => c.numRows)).toEqual([1500, 1500, 1500, 500]);
      expect(chunks.map((c) => c.offset)).toEqual([0, 1500, 3000, 4500]);
      for (const c of chunks) {
        expect(c.columns.x.length).toBe(c.numRows);
        for (let k = 0; k < c.numRows; k++) checkRow(c.columns, k, c.offset + k);
      }
    }
  });

  it('grows past a wrong recorded row count and reads a Parquet version the same way', async () => {
    const table = await loadDatasetVersionColumns(artifacts, { ...parquetVersion, rowCount: 10 }, WANTED);
    expect(table.numRows).toBe(N);
    for (let i = 0; i < N; i += 37) checkRow(table.columns, i, i);
  });

  it('names every missing column before reading anything', async () => {
    await expect(loadDatasetVersionColumns(artifacts, csvVersion, { x: 'number', nope: 'number', nada: 'text' })).rejects.toThrow(
      new DatasetLoadError("dataset version has no column(s) 'nope', 'nada'"),
    );
    const it = readDatasetVersionChunks(artifacts, csvVersion, { gone: 'number' });
    await expect(it.next()).rejects.toThrow(/no column\(s\) 'gone'/);
  });

  it('stops between chunks when its signal aborts', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const c of readDatasetVersionChunks(artifacts, csvVersion, WANTED, { chunkRows: 1000, signal: ac.signal })) {
          seen.push(c.numRows);
          ac.abort(new Error('stop now'));
        }
      })(),
    ).rejects.toThrow('stop now');
    expect(seen).toEqual([1000]);
  });

  it('converts a version to Parquet once, cached by content hash, and reads it back by windows in file order', async () => {
    const cacheDir = join(dir, 'parquet-cache');
    const path = await ensureParquetCopy(artifacts, csvVersion, cacheDir, { rowGroupRows: 1000 });
    expect(path).toBe(join(cacheDir, `${csvVersion.sha256}.parquet`));
    const first = statSync(path).mtimeMs;
    const [again, concurrent] = await Promise.all([ensureParquetCopy(artifacts, csvVersion, cacheDir), ensureParquetCopy(artifacts, csvVersion, cacheDir)]);
    expect([again, concurrent]).toEqual([path, path]);
    expect(statSync(path).mtimeMs).toBe(first);
    expect(readdirSync(cacheDir)).toEqual([`${csvVersion.sha256}.parquet`]);

    const schema = storedColumns(csvVersion.schema);
    const db = await DuckDbSession.open({ threads: 1, memoryLimitMb: 128 });
    try {
      const chunks: ColumnChunk[] = [];
      for await (const c of readParquetColumnChunks(db, path, schema, WANTED, { chunkRows: 1700, windowRows: 1000 })) chunks.push(c);
      expect(chunks.map((c) => c.offset)).toEqual([0, 1700, 3400]);
      for (const c of chunks) for (let k = 0; k < c.numRows; k++) checkRow(c.columns, k, c.offset + k);
      // The streamed reader over the cached copy gives the same rows.
      let n = 0;
      for await (const c of readDatasetVersionChunks(artifacts, csvVersion, WANTED, { localPath: path, localFormat: 'parquet' })) {
        for (let k = 0; k < c.numRows; k += 13) checkRow(c.columns, k, c.offset + k);
        n += c.numRows;
      }
      expect(n).toBe(N);
    } finally {
      db.close();
    }
  });

  it('resolves a version inside its project only', async () => {
    expect((await resolveDatasetVersion(catalog, projectId, { dataset: 'events', version: 1 })).id).toBe(csvVersion.id);
    await expect(resolveDatasetVersion(catalog, otherProjectId, { dataset: 'events', version: 1 })).rejects.toThrow(DatasetLoadError);
    await expect(resolveDatasetVersion(catalog, projectId, { dataset: 'events', version: 9 })).rejects.toThrow(/has no version 9/);
  });
});
