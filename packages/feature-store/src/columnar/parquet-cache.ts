// A stored dataset version converted once to Parquet (with its recorded column types) and cached by
// content hash, for reading again and again by row groups: streamed training reads the version once
// per epoch, and a CSV re-parsed every epoch would cost more than the training. The conversion is
// DuckDB's (bounded memory_limit, spilling to the cache's temp dir), written to a temp name and
// renamed, so a reader never sees half a file; concurrent calls in one process share one conversion.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '@atelier/artifacts';
import type { DatasetVersion } from '@atelier/catalog';
import { datasetReaderSql } from '../datasets/dataset-analyzer.js';
import { EXTENSION_OF, type DatasetFileFormat } from '../datasets/dataset-format.js';
import type { VersionSchema } from '../datasets/dataset-schema.js';
import { DuckDbSession, sqlIdentifier, sqlLiteral } from '../duckdb/duckdb-session.js';
import { storedColumns } from './columnar-reader.js';

export interface ParquetCacheOptions {
  /** Rows per Parquet row group. Default 122,880 (DuckDB's). */
  rowGroupRows?: number;
  threads?: number;
  memoryLimitMb?: number;
}

const inflight = new Map<string, Promise<string>>();

/** The cached Parquet path of a version (whether or not it exists yet). */
export function parquetCachePath(cacheDir: string, version: Pick<DatasetVersion, 'sha256'>): string {
  return join(cacheDir, `${version.sha256}.parquet`);
}

/**
 * A local Parquet copy of `version` under `cacheDir`, named by its content hash: converted on first
 * use (download → DuckDB COPY with the recorded schema → rename), reused afterwards.
 */
export async function ensureParquetCopy(artifacts: ArtifactStore, version: DatasetVersion, cacheDir: string, opts: ParquetCacheOptions = {}): Promise<string> {
  const target = parquetCachePath(cacheDir, version);
  if (await stat(target).catch(() => null)) return target;
  const running = inflight.get(target);
  if (running) return running;
  const job = convert(artifacts, version, cacheDir, target, opts).finally(() => inflight.delete(target));
  inflight.set(target, job);
  return job;
}

async function convert(artifacts: ArtifactStore, version: DatasetVersion, cacheDir: string, target: string, opts: ParquetCacheOptions): Promise<string> {
  const format = version.format as DatasetFileFormat;
  const schema = storedColumns(version.schema);
  const work = join(cacheDir, `.convert-${version.sha256}-${process.pid}-${Date.now()}`);
  await mkdir(work, { recursive: true });
  try {
    const source = join(work, `source.${EXTENSION_OF[format]}`);
    await pipeline(await artifacts.get(version.artifactKey), createWriteStream(source));
    const out = join(work, 'data.parquet');
    const rowGroup = opts.rowGroupRows ?? 122_880;
    const db = await DuckDbSession.open({ threads: opts.threads ?? 1, memoryLimitMb: opts.memoryLimitMb ?? 256, tempDirectory: join(work, 'tmp'), preserveInsertionOrder: true });
    try {
      const cols = schema.map((c) => sqlIdentifier(c.name)).join(', ');
      const from = datasetReaderSql(source, format, { columns: schema } as unknown as VersionSchema);
      await db.exec(`COPY (SELECT ${cols} FROM ${from}) TO ${sqlLiteral(out)} (FORMAT parquet, ROW_GROUP_SIZE ${rowGroup})`);
    } finally {
      db.close();
    }
    await rename(out, target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
