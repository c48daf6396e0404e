// A dataset file read column by column, chunk by chunk, into typed arrays: DuckDB streams the query
// and each of its data chunks (≈2048 rows) is copied straight from its vectors into the current batch
// (Float64Array for numbers, NaN = missing; string | null arrays for text), never as a JavaScript
// object per row. Batches of `chunkRows` rows are yielded as they fill, so memory is bounded by the
// batch size and DuckDB's memory_limit, not by the file. Used by batch scoring (the orchestrator).
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { DuckDbSession, sqlIdentifier, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { datasetReaderSql } from './dataset-analyzer.js';
import type { DatasetFileFormat } from './dataset-format.js';
import type { VersionSchema } from './dataset-schema.js';

/** How a column is read: numbers (NaN = missing) or text (null = missing). */
export type ChunkColumnRead = 'number' | 'text';

/** One batch of rows, column by column. */
export interface ColumnChunk {
  numRows: number;
  columns: Record<string, Float64Array | Array<string | null>>;
}

export interface DatasetChunkOptions {
  /** Rows per yielded chunk (the last may be shorter). */
  chunkRows: number;
  /** DuckDB session settings (default: 256 MiB, 1 thread). */
  duckdb?: DuckDbSessionOptions;
  /** Stops the read (the iterator ends by throwing the signal's reason). */
  signal?: AbortSignal;
}

/** The SELECT list reading `wanted` columns from the file (numbers as DOUBLE, text as VARCHAR). */
function selectList(wanted: Record<string, ChunkColumnRead>): string {
  return Object.entries(wanted)
    .map(([name, read], i) => `${read === 'text' ? `CAST(${sqlIdentifier(name)} AS VARCHAR)` : `CAST(${sqlIdentifier(name)} AS DOUBLE)`} AS c${i}`)
    .join(', ');
}

/** Streams `wanted` columns of a dataset file (read with its recorded schema) in chunks of `chunkRows` rows, in file order. */
export async function* streamDatasetChunks(
  path: string,
  format: DatasetFileFormat,
  schema: VersionSchema,
  wanted: Record<string, ChunkColumnRead>,
  opts: DatasetChunkOptions,
): AsyncGenerator<ColumnChunk> {
  const names = Object.keys(wanted);
  const reads = names.map((n) => wanted[n]);
  const db = await DuckDbSession.open({ memoryLimitMb: 256, threads: 1, ...opts.duckdb });
  const onAbort = () => db.interrupt();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result: DuckDBResult = await db.streamResult(`SELECT ${selectList(wanted)} FROM ${datasetReaderSql(path, format, schema)}`);
    const fresh = (): ColumnChunk['columns'] => {
      const cols: ColumnChunk['columns'] = {};
      names.forEach((n, i) => (cols[n] = reads[i] === 'text' ? new Array<string | null>(opts.chunkRows) : new Float64Array(opts.chunkRows)));
      return cols;
    };
    let columns = fresh();
    let filled = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      const chunk: DuckDBDataChunk | null = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const n = chunk.rowCount;
      let offset = 0;
      while (offset < n) {
        const take = Math.min(n - offset, opts.chunkRows - filled);
        for (let c = 0; c < names.length; c++) {
          const vector = chunk.getColumnVector(c);
          const dst = columns[names[c]];
          if (reads[c] === 'text') {
            const out = dst as Array<string | null>;
            for (let r = 0; r < take; r++) out[filled + r] = vector.getItem(offset + r) as string | null;
          } else {
            const out = dst as Float64Array;
            for (let r = 0; r < take; r++) {
              const v = vector.getItem(offset + r) as number | null;
              out[filled + r] = v === null ? NaN : v;
            }
          }
        }
        filled += take;
        offset += take;
        if (filled === opts.chunkRows) {
          yield { numRows: filled, columns };
          columns = fresh();
          filled = 0;
        }
      }
    }
    if (filled > 0) {
      const last: ColumnChunk['columns'] = {};
      for (const n of names) {
        const col = columns[n];
        last[n] = col instanceof Float64Array ? col.subarray(0, filled) : col.slice(0, filled);
      }
      yield { numRows: filled, columns: last };
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    db.close();
  }
}
