// Reads the columns a job needs from a stored dataset version into typed arrays, chunk by chunk, with
// no JavaScript object per row: DuckDB streams its result as data chunks (about 2,048 rows, columnar)
// and each numeric column vector is copied with one `Float64Array.set` (nulls → NaN from the validity
// mask). Text columns become string arrays (one string per value, which text needs anyway).
//
// Two ways to use it: `readDatasetVersionChunks` (an async iterable of column chunks, memory bounded by
// the chunk size: streaming training, batch scoring) and `loadDatasetVersionColumns` (every row into one
// array per column, preallocated from the version's recorded row count: in-memory training, evaluation).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion } from '@atelier/catalog';
import { datasetReaderSql } from '../datasets/dataset-analyzer.js';
import type { DatasetFileFormat } from '../datasets/dataset-format.js';
import type { VersionSchema } from '../datasets/dataset-schema.js';
import { DuckDbSession, sqlIdentifier, sqlLiteral, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';

/**
 * How a column is read: `number` → Float64Array (NaN = missing), `float32` → Float32Array (NaN =
 * missing), `text` → string array (null = missing), `time` → Float64Array of epoch milliseconds.
 */
export type ColumnRead = 'number' | 'float32' | 'text' | 'time';

export type ColumnValues = Float64Array | Float32Array | Array<string | null>;

/** A run of consecutive rows: `offset` is the index of its first row in the whole result. */
export interface ColumnChunk {
  offset: number;
  numRows: number;
  columns: Record<string, ColumnValues>;
}

export interface ColumnarTable {
  numRows: number;
  columns: Record<string, ColumnValues>;
}

export interface LoadedTable extends ColumnarTable {
  datasetVersion: DatasetVersion;
}

/** A column as the version's recorded schema names it. */
export interface StoredColumn {
  name: string;
  type: string;
  duckdbType: string;
  nullable: boolean;
}

/** The version cannot be read as asked (no schema, a missing column, a missing version): retrying will not help. */
export class DatasetLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetLoadError';
  }
}

export interface ColumnarReadOptions {
  /** Rows per yielded chunk (streaming only). Default 65,536. */
  chunkRows?: number;
  /** DuckDB threads. Default 1. */
  threads?: number;
  /** DuckDB memory_limit in MiB. Default 256. */
  memoryLimitMb?: number;
  /** DuckDB spill directory. */
  tempDirectory?: string;
  /** Stops the read between chunks (the iterator throws the signal's reason). */
  signal?: AbortSignal;
  /**
   * A local file that already holds the version's bytes (a cache): no download. Its format is the
   * version's unless `localFormat` says otherwise (a Parquet conversion of a CSV version).
   */
  localPath?: string;
  localFormat?: DatasetFileFormat;
}

const DEFAULT_CHUNK_ROWS = 65_536;

export function storedColumns(schema: unknown): StoredColumn[] {
  const cols = (schema as { columns?: unknown })?.columns;
  if (!Array.isArray(cols)) throw new DatasetLoadError('the dataset version has no recorded schema (columns)');
  return cols as StoredColumn[];
}

/** A dataset version by project, name and number (inside the project: another project's name finds nothing). */
export async function resolveDatasetVersion(catalog: Catalog, projectId: string, ref: { dataset: string; version: number }): Promise<DatasetVersion> {
  const dataset = await catalog.datasets.findByName(projectId, ref.dataset);
  if (!dataset) throw new DatasetLoadError(`dataset '${ref.dataset}' does not exist in this project`);
  const version = await catalog.datasets.findVersion(dataset.id, ref.version);
  if (!version) throw new DatasetLoadError(`dataset '${ref.dataset}' has no version ${ref.version}`);
  return version;
}

/** The SELECT expression that reads stored column `name` (of logical type `type`) as `read`. */
export function columnSelectSql(name: string, read: ColumnRead, type: string): string {
  const c = sqlIdentifier(name);
  if (read === 'text') return `CAST(${c} AS VARCHAR)`;
  if (read === 'float32') return `CAST(${c} AS FLOAT)`;
  if (read === 'time' && (type === 'timestamp' || type === 'date')) return `CAST(epoch_ms(CAST(${c} AS TIMESTAMP)) AS DOUBLE)`;
  return `CAST(${c} AS DOUBLE)`;
}

/** The query that reads `wanted` from a local file of a version (columns c0, c1… in `wanted`'s order). */
export function columnarQuerySql(path: string, format: DatasetFileFormat, schema: readonly StoredColumn[], wanted: Record<string, ColumnRead>): string {
  const byName = new Map(schema.map((c) => [c.name, c]));
  const missing = Object.keys(wanted).filter((n) => !byName.has(n));
  if (missing.length) throw new DatasetLoadError(`dataset version has no column(s) ${missing.map((m) => `'${m}'`).join(', ')}`);
  const selects = Object.keys(wanted).map((n, i) => `${columnSelectSql(n, wanted[n], byName.get(n)!.type)} AS c${i}`);
  return `SELECT ${selects.join(', ')} FROM ${datasetReaderSql(path, format, { columns: schema } as unknown as VersionSchema)}`;
}

function allocate(read: ColumnRead, n: number): ColumnValues {
  if (read === 'text') return new Array<string | null>(n);
  if (read === 'float32') return new Float32Array(n);
  return new Float64Array(n);
}

function grow(col: ColumnValues, n: number): ColumnValues {
  if (Array.isArray(col)) {
    col.length = n;
    return col;
  }
  const out = col instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  out.set(col);
  return out;
}

function shrink(col: ColumnValues, n: number): ColumnValues {
  if (col.length === n) return col;
  if (Array.isArray(col)) {
    col.length = n;
    return col;
  }
  return col.slice(0, n);
}

/**
 * Copy rows [from, from + count) of column `index` of a DuckDB chunk into `out` at `at`. Numeric
 * vectors are copied as one block from DuckDB's memory, then the validity mask (absent when the vector
 * has no null) turns missing values into NaN.
 */
function copyColumn(chunk: DuckDBDataChunk, index: number, read: ColumnRead, out: ColumnValues, at: number, from: number, count: number): void {
  if (read === 'text') {
    const vector = chunk.getColumnVector(index);
    const strings = out as Array<string | null>;
    for (let r = 0; r < count; r++) strings[at + r] = vector.getItem(from + r) as string | null;
    return;
  }
  const size = chunk.rowCount;
  const raw = duckdb.data_chunk_get_vector(chunk.chunk, index);
  const width = read === 'float32' ? 4 : 8;
  const bytes = duckdb.vector_get_data(raw, size * width);
  const values = read === 'float32' ? new Float32Array(bytes.buffer, bytes.byteOffset, size) : new Float64Array(bytes.buffer, bytes.byteOffset, size);
  const target = out as Float64Array | Float32Array;
  target.set(from === 0 && count === size ? values : values.subarray(from, from + count), at);
  const validity = duckdb.vector_get_validity(raw, Math.ceil(size / 64) * 8);
  if (!validity) return;
  for (let r = 0; r < count; r++) {
    const bit = from + r;
    if ((validity[bit >> 3] & (1 << (bit & 7))) === 0) target[at + r] = NaN;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the read was aborted');
}

/**
 * Run `sql` (whose result columns are `reads`, in order) and yield its rows as column chunks of
 * `chunkRows` rows (the last one shorter). Each yielded chunk owns its arrays.
 */
export function readQueryColumnChunks(
  db: DuckDbSession,
  sql: string,
  reads: ReadonlyArray<{ name: string; read: ColumnRead }>,
  opts: { chunkRows?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ColumnChunk> {
  return columnChunksOf(db.streamChunks(sql), reads, opts);
}

/**
 * The `wanted` columns of a local Parquet file (a version's cached copy), rows in file order, read in
 * windows of `windowRows` rows (default 122,880: one row group of ensureParquetCopy's files), each
 * window materialized by DuckDB in one call (`file_row_number` range: DuckDB prunes the other row
 * groups). Same chunks as readQueryColumnChunks over the whole file, fewer async round trips.
 */
export async function* readParquetColumnChunks(
  db: DuckDbSession,
  path: string,
  schema: readonly StoredColumn[],
  wanted: Record<string, ColumnRead>,
  opts: { chunkRows?: number; windowRows?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ColumnChunk> {
  const windowRows = opts.windowRows ?? 122_880;
  const file = `read_parquet(${sqlLiteral(path)}, file_row_number = true)`;
  const total = Number((await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet(${sqlLiteral(path)})`))[0].n);
  const byName = new Map(schema.map((c) => [c.name, c]));
  const missing = Object.keys(wanted).filter((n) => !byName.has(n));
  if (missing.length) throw new DatasetLoadError(`dataset version has no column(s) ${missing.map((m) => `'${m}'`).join(', ')}`);
  const selects = Object.keys(wanted).map((n, i) => `${columnSelectSql(n, wanted[n], byName.get(n)!.type)} AS c${i}`).join(', ');
  async function* windows(): AsyncGenerator<DuckDBDataChunk> {
    for (let start = 0; start < total; start += windowRows) {
      yield* db.materializedChunks(`SELECT ${selects} FROM ${file} WHERE file_row_number >= ${start} AND file_row_number < ${start + windowRows}`);
    }
  }
  yield* columnChunksOf(windows(), readsOf(wanted), opts);
}

async function* columnChunksOf(
  source: AsyncIterable<DuckDBDataChunk>,
  reads: ReadonlyArray<{ name: string; read: ColumnRead }>,
  opts: { chunkRows?: number; signal?: AbortSignal },
): AsyncGenerator<ColumnChunk> {
  const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new RangeError(`chunkRows must be a positive integer, got ${chunkRows}`);
  let buffers = reads.map((r) => allocate(r.read, chunkRows));
  let filled = 0;
  let offset = 0;
  const emit = (): ColumnChunk => {
    const columns: Record<string, ColumnValues> = {};
    reads.forEach((r, i) => (columns[r.name] = shrink(buffers[i], filled)));
    const out = { offset, numRows: filled, columns };
    offset += filled;
    filled = 0;
    buffers = reads.map((r) => allocate(r.read, chunkRows));
    return out;
  };
  for await (const chunk of source) {
    throwIfAborted(opts.signal);
    const size = chunk.rowCount;
    let from = 0;
    while (from < size) {
      const count = Math.min(size - from, chunkRows - filled);
      for (let i = 0; i < reads.length; i++) copyColumn(chunk, i, reads[i].read, buffers[i], filled, from, count);
      filled += count;
      from += count;
      if (filled === chunkRows) {
        yield emit();
        throwIfAborted(opts.signal);
      }
    }
  }
  if (filled > 0) yield emit();
}

/** Run `sql` and read every row into one array per column (`expectedRows` preallocates; more rows grow them). */
export async function readQueryColumns(
  db: DuckDbSession,
  sql: string,
  reads: ReadonlyArray<{ name: string; read: ColumnRead }>,
  opts: { expectedRows?: number; signal?: AbortSignal } = {},
): Promise<ColumnarTable> {
  let capacity = Math.max(0, Math.floor(opts.expectedRows ?? 0)) || 2048;
  let cols = reads.map((r) => allocate(r.read, capacity));
  let n = 0;
  for await (const chunk of db.streamChunks(sql)) {
    throwIfAborted(opts.signal);
    const size = chunk.rowCount;
    if (n + size > capacity) {
      capacity = Math.max(n + size, capacity * 2);
      cols = cols.map((c) => grow(c, capacity));
    }
    for (let i = 0; i < reads.length; i++) copyColumn(chunk, i, reads[i].read, cols[i], n, 0, size);
    n += size;
  }
  const columns: Record<string, ColumnValues> = {};
  reads.forEach((r, i) => (columns[r.name] = shrink(cols[i], n)));
  return { numRows: n, columns };
}

function sessionOptions(opts: ColumnarReadOptions): DuckDbSessionOptions {
  return {
    threads: opts.threads ?? 1,
    memoryLimitMb: opts.memoryLimitMb ?? 256,
    ...(opts.tempDirectory && { tempDirectory: opts.tempDirectory }),
  };
}

function readsOf(wanted: Record<string, ColumnRead>): Array<{ name: string; read: ColumnRead }> {
  return Object.keys(wanted).map((name) => ({ name, read: wanted[name] }));
}

/** The version's bytes as a local file for the length of `fn`: `opts.localPath`, or a download into a temp dir removed afterwards. */
async function withLocalFile<T>(artifacts: ArtifactStore, version: DatasetVersion, opts: ColumnarReadOptions, fn: (path: string, format: DatasetFileFormat) => Promise<T>): Promise<T> {
  if (opts.localPath) return fn(opts.localPath, opts.localFormat ?? (version.format as DatasetFileFormat));
  const dir = await mkdtemp(join(tmpdir(), 'atelier-read-'));
  try {
    const path = join(dir, `data.${version.format}`);
    await pipeline(await artifacts.get(version.artifactKey), createWriteStream(path));
    return await fn(path, version.format as DatasetFileFormat);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The `wanted` columns of a stored dataset version, every row, in file order, as column chunks of
 * `opts.chunkRows` rows. Memory: one chunk per column plus DuckDB's bounded `memory_limit`.
 */
export async function* readDatasetVersionChunks(
  artifacts: ArtifactStore,
  version: DatasetVersion,
  wanted: Record<string, ColumnRead>,
  opts: ColumnarReadOptions = {},
): AsyncGenerator<ColumnChunk> {
  const schema = storedColumns(version.schema);
  const reads = readsOf(wanted);
  // An async generator cannot yield from inside withLocalFile's callback: manage the temp dir here.
  let dir: string | undefined;
  let path = opts.localPath;
  let format = opts.localFormat ?? (version.format as DatasetFileFormat);
  try {
    if (!path) {
      dir = await mkdtemp(join(tmpdir(), 'atelier-read-'));
      path = join(dir, `data.${version.format}`);
      format = version.format as DatasetFileFormat;
      await pipeline(await artifacts.get(version.artifactKey), createWriteStream(path));
    }
    const sql = columnarQuerySql(path, format, schema, wanted);
    const db = await DuckDbSession.open(sessionOptions(opts));
    try {
      yield* readQueryColumnChunks(db, sql, reads, opts);
    } finally {
      db.close();
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** The `wanted` columns of a stored dataset version, every row, in file order, one typed array per column. */
export async function loadDatasetVersionColumns(
  artifacts: ArtifactStore,
  version: DatasetVersion,
  wanted: Record<string, ColumnRead>,
  opts: ColumnarReadOptions = {},
): Promise<LoadedTable> {
  const schema = storedColumns(version.schema);
  columnarQuerySql('', version.format as DatasetFileFormat, schema, wanted); // names every missing column before any download
  return withLocalFile(artifacts, version, opts, async (path, format) => {
    const sql = columnarQuerySql(path, format, schema, wanted);
    const db = await DuckDbSession.open(sessionOptions(opts));
    try {
      const table = await readQueryColumns(db, sql, readsOf(wanted), { expectedRows: Number(version.rowCount) || 0, ...(opts.signal && { signal: opts.signal }) });
      return { datasetVersion: version, ...table };
    } finally {
      db.close();
    }
  });
}
