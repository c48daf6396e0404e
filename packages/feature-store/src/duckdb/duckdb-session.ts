import { mkdir } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBDataChunk, type DuckDBValue, type Json } from '@duckdb/node-api';

/**
 * A short-lived, in-process DuckDB instance for offline work (profiling, validation, point-in-time
 * joins). Each session is its own in-memory database with a bounded `memory_limit` and `threads`,
 * spilling to `tempDirectory` when an operator does not fit. Open one per unit of work and close it.
 *
 * DuckDB does its work on its own threads: queries do not block the Node event loop, but they do use
 * CPU and memory up to these bounds, so keep them small on shared machines.
 */
export interface DuckDbSessionOptions {
  /** DuckDB `memory_limit`, in MiB. Default 512. */
  memoryLimitMb?: number;
  /** DuckDB `threads`. Default 2. */
  threads?: number;
  /** Spill directory (created when missing). Default: DuckDB's own (`.tmp` next to the process). */
  tempDirectory?: string;
  /** Keep insertion order in results (`preserve_insertion_order`). Default true. */
  preserveInsertionOrder?: boolean;
  /** A database file instead of memory (tables then live on disk: e.g. a job's scratch table). Default: in memory. */
  databasePath?: string;
}

export type DuckDbParams = DuckDBValue[] | Record<string, DuckDBValue>;

/** Row values as JSON-safe values: BIGINT/HUGEINT/DECIMAL → string, DOUBLE → number, dates/timestamps → strings. */
export type DuckDbJsonRow = Record<string, Json>;

export class DuckDbSession {
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DuckDbSessionOptions = {}): Promise<DuckDbSession> {
    const memoryLimitMb = options.memoryLimitMb ?? 512;
    const threads = options.threads ?? 2;
    if (!Number.isInteger(memoryLimitMb) || memoryLimitMb < 16) {
      throw new RangeError(`DuckDB memoryLimitMb must be an integer >= 16, got ${memoryLimitMb}`);
    }
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`DuckDB threads must be an integer >= 1, got ${threads}`);
    }
    const config: Record<string, string> = {
      memory_limit: `${memoryLimitMb}MB`,
      threads: String(threads),
      preserve_insertion_order: String(options.preserveInsertionOrder ?? true),
      // No network: never try to download extensions at run time.
      autoinstall_known_extensions: 'false',
    };
    if (options.tempDirectory) {
      await mkdir(options.tempDirectory, { recursive: true });
      config.temp_directory = options.tempDirectory;
    }
    const instance = await DuckDBInstance.create(options.databasePath ?? ':memory:', config);
    try {
      const connection = await instance.connect();
      return new DuckDbSession(instance, connection);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** Run a statement (or several separated by `;`) and discard results. */
  async exec(sql: string, params?: DuckDbParams): Promise<void> {
    this.assertOpen();
    await this.connection.run(sql, params);
  }

  /** Run a query and return every row with JS values (BIGINT → bigint, DATE/TIMESTAMP → DuckDB JS values). */
  async all<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: DuckDbParams): Promise<T[]> {
    this.assertOpen();
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as unknown as T[];
  }

  /** Run a query and return every row with JSON-safe values (BIGINT → string). */
  async allJson(sql: string, params?: DuckDbParams): Promise<DuckDbJsonRow[]> {
    this.assertOpen();
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as DuckDbJsonRow[];
  }

  /** Run a query and return at most `limit` rows as JSON-safe values, without materializing the rest. */
  async firstJson(sql: string, limit: number, params?: DuckDbParams): Promise<DuckDbJsonRow[]> {
    this.assertOpen();
    const reader = await this.connection.streamAndReadUntil(sql, limit, params);
    return (reader.getRowObjectsJson() as DuckDbJsonRow[]).slice(0, limit);
  }

  /** Column names and DuckDB type names of a query's result, without reading its rows. */
  async describe(sql: string, params?: DuckDbParams): Promise<Array<{ name: string; type: string }>> {
    this.assertOpen();
    const rows = await this.all<{ column_name: string; column_type: string }>(`DESCRIBE ${sql}`, params);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  /** Stream a query's rows in chunks (JSON-safe values). */
  async *streamJson(sql: string, params?: DuckDbParams): AsyncGenerator<DuckDbJsonRow[]> {
    this.assertOpen();
    const result = await this.connection.stream(sql, params);
    for await (const rows of result.yieldRowObjectJson()) yield rows as DuckDbJsonRow[];
  }

  /** An appender into `table` (close it with closeSync before reading the table). */
  async appender(table: string): Promise<DuckDBAppender> {
    this.assertOpen();
    return this.connection.createAppender(table);
  }

  /**
   * Stream a query's result as DuckDB data chunks (about 2,048 rows each, columnar): nothing is
   * converted to JS values here, so a caller can copy column vectors straight into typed arrays
   * (see columnar/columnar-reader.ts). A chunk is valid until the next one is fetched.
   */
  async *streamChunks(sql: string, params?: DuckDbParams): AsyncGenerator<DuckDBDataChunk> {
    this.assertOpen();
    const result = await this.connection.stream(sql, params);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield chunk;
    }
  }

  /**
   * Run a query to completion (DuckDB materializes it on its own threads, one await) and yield its data
   * chunks synchronously: for reading windows of a file, far fewer event-loop round trips than
   * streamChunks' one await per 2,048-row chunk.
   */
  async *materializedChunks(sql: string, params?: DuckDbParams): AsyncGenerator<DuckDBDataChunk> {
    this.assertOpen();
    const result = await this.connection.run(sql, params);
    const count = result.chunkCount;
    for (let i = 0; i < count; i++) {
      const chunk = result.getChunk(i);
      if (chunk.rowCount > 0) yield chunk;
    }
  }

  /** Interrupt the running query (it fails with an "Interrupted" error). */
  interrupt(): void {
    if (!this.closed) this.connection.interrupt();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.connection.closeSync();
    } finally {
      this.instance.closeSync();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('DuckDB session is closed');
  }
}

/** Open a session, run `fn`, always close it. */
export async function withDuckDb<T>(options: DuckDbSessionOptions, fn: (db: DuckDbSession) => Promise<T>): Promise<T> {
  const db = await DuckDbSession.open(options);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** A SQL string literal: `O'Brien` → `'O''Brien'`. For file paths and values that cannot be bound. */
export function sqlLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('NUL byte in SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: `my "col"` → `"my ""col"""`. */
export function sqlIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error('NUL byte in SQL identifier');
  return `"${name.replaceAll('"', '""')}"`;
}
