// Writes computed columns (predictions) aligned row by row with a dataset file, plus columns of that
// file passed through as they are, to one Parquet file — with memory flat whatever the row count:
//   - computed values go through a DuckDB appender, one data chunk (2,048 rows) at a time, into a table
//     of a file-backed scratch database (DuckDB flushes it to disk in row groups; nothing accumulates
//     in JavaScript). Categorical outputs (a predicted class) are stored as integer codes and turned
//     into their labels by the COPY, so no string crosses into DuckDB per row;
//   - `finish` runs one `COPY (SELECT passthrough…, computed… FROM <file> POSITIONAL JOIN computed)
//     TO … (FORMAT parquet)`: DuckDB streams both sides in file order, so passthrough columns keep their
//     exact types and never become JavaScript values.
// The Parquet file is written under a temporary name and renamed when complete: a crash never leaves a
// file that looks finished. The caller owns `workDir` (and removes it).
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBAppender } from '@duckdb/node-api';
import { DuckDbSession, sqlIdentifier, sqlLiteral, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { datasetReaderSql } from './dataset-analyzer.js';
import type { DatasetFileFormat } from './dataset-format.js';
import type { VersionSchema } from './dataset-schema.js';

/** A computed column: doubles (NaN → NULL), or codes into `categories` (written as their labels; −1 → NULL). */
export type ComputedColumn = { name: string; type: 'double' } | { name: string; type: 'category'; categories: readonly string[] };

/** DuckDB's vector size: rows per appended data chunk. */
const CHUNK_ROWS = 2048;

export interface AlignedParquetWriterOptions {
  /** A directory owned by the caller for the scratch database and the output. */
  workDir: string;
  /** The dataset file the computed rows align with, read with its recorded schema. */
  source: { path: string; format: DatasetFileFormat; schema: VersionSchema };
  /** Source columns copied to the output first, in this order. */
  passthrough: string[];
  computed: ComputedColumn[];
  duckdb?: DuckDbSessionOptions;
}

export class AlignedParquetWriter {
  private appender: DuckDBAppender | null;
  private rows = 0;
  private readonly chunk: DuckDBDataChunk;

  private constructor(
    private readonly db: DuckDbSession,
    appender: DuckDBAppender,
    private readonly opts: AlignedParquetWriterOptions,
  ) {
    this.appender = appender;
    this.chunk = DuckDBDataChunk.create(opts.computed.map((c) => (c.type === 'double' ? DOUBLE : INTEGER)));
  }

  static async open(opts: AlignedParquetWriterOptions): Promise<AlignedParquetWriter> {
    const db = await DuckDbSession.open({
      memoryLimitMb: 256,
      threads: 1,
      tempDirectory: join(opts.workDir, 'spill'),
      ...opts.duckdb,
      databasePath: join(opts.workDir, 'scratch.duckdb'),
    });
    try {
      const cols = opts.computed.map((c) => `${sqlIdentifier(c.name)} ${c.type === 'double' ? 'DOUBLE' : 'INTEGER'}`).join(', ');
      await db.exec(`CREATE TABLE computed (${cols})`);
      return new AlignedParquetWriter(db, await db.appender('computed'), opts);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Rows appended so far. */
  get rowCount(): number {
    return this.rows;
  }

  /**
   * Append `numRows` rows: `values[k]` holds computed column k (numbers: NaN → NULL for doubles; for
   * categories, an index into its `categories`, −1 → NULL).
   */
  append(numRows: number, values: ReadonlyArray<ArrayLike<number>>): void {
    const appender = this.appender;
    if (!appender) throw new Error('AlignedParquetWriter: append after finish');
    const computed = this.opts.computed;
    const chunk = this.chunk;
    for (let offset = 0; offset < numRows; offset += CHUNK_ROWS) {
      const k = Math.min(CHUNK_ROWS, numRows - offset);
      chunk.reset();
      chunk.rowCount = k;
      for (let c = 0; c < computed.length; c++) {
        const src = values[c];
        const vector = chunk.getColumnVector(c);
        if (computed[c].type === 'double') {
          for (let r = 0; r < k; r++) {
            const v = src[offset + r];
            vector.setItem(r, Number.isNaN(v) ? null : v);
          }
        } else {
          for (let r = 0; r < k; r++) {
            const v = src[offset + r];
            vector.setItem(r, v < 0 || Number.isNaN(v) ? null : v);
          }
        }
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
    this.rows += numRows;
  }

  /** Write the Parquet file (passthrough + computed columns, in source order); returns its path. */
  async finish(expectedRows: number): Promise<string> {
    const appender = this.appender;
    if (!appender) throw new Error('AlignedParquetWriter: finish called twice');
    appender.closeSync();
    this.appender = null;
    if (this.rows !== expectedRows) throw new Error(`AlignedParquetWriter: ${this.rows} computed rows for a source of ${expectedRows}`);
    const { source, passthrough, computed, workDir } = this.opts;
    const src = passthrough.map((n) => `s.${sqlIdentifier(n)}`);
    const out = computed.map((c) =>
      c.type === 'double' ? `c.${sqlIdentifier(c.name)}` : `[${c.categories.map(sqlLiteral).join(', ')}][c.${sqlIdentifier(c.name)} + 1] AS ${sqlIdentifier(c.name)}`,
    );
    const partial = join(workDir, 'predictions.parquet.partial');
    const final = join(workDir, 'predictions.parquet');
    const reader = datasetReaderSql(source.path, source.format, source.schema);
    await this.db.exec(
      `COPY (SELECT ${[...src, ...out].join(', ')} FROM ${reader} AS s POSITIONAL JOIN computed AS c) TO ${sqlLiteral(partial)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
    await rename(partial, final);
    return final;
  }

  /** Interrupt a running COPY (cancel). */
  interrupt(): void {
    this.db.interrupt();
  }

  /** Close the scratch database and remove it (the Parquet output stays). Safe to call twice. */
  async close(): Promise<void> {
    try {
      this.appender?.closeSync();
    } catch {
      // already closed, or the database is gone
    }
    this.appender = null;
    this.db.close();
    await rm(join(this.opts.workDir, 'scratch.duckdb'), { force: true });
    await rm(join(this.opts.workDir, 'scratch.duckdb.wal'), { force: true });
    await rm(join(this.opts.workDir, 'spill'), { recursive: true, force: true });
  }
}
