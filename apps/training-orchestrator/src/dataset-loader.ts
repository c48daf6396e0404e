// Loads the columns a job needs from a stored dataset version into typed arrays: the bytes come from
// artifacts into a job-scoped temp file, DuckDB (feature-store's session, on its own threads, so the
// event loop stays free) reads them with the version's recorded schema.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion } from '@atelier/catalog';
import { datasetReaderSql, sqlIdentifier, withDuckDb } from '@atelier/feature-store';

/** How a column is read: numbers (NaN = missing), text (null = missing) or a time as epoch ms. */
export type ColumnRead = 'number' | 'text' | 'time';

export interface StoredColumn {
  name: string;
  type: string;
  duckdbType: string;
  nullable: boolean;
}

export interface LoadedTable {
  datasetVersion: DatasetVersion;
  numRows: number;
  columns: Record<string, Float64Array | Array<string | null>>;
}

export class DatasetLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetLoadError';
  }
}

export function storedColumns(schema: unknown): StoredColumn[] {
  const cols = (schema as { columns?: unknown })?.columns;
  if (!Array.isArray(cols)) throw new DatasetLoadError('the dataset version has no recorded schema (columns)');
  return cols as StoredColumn[];
}

export async function resolveDatasetVersion(catalog: Catalog, projectId: string, ref: { dataset: string; version: number }): Promise<DatasetVersion> {
  const dataset = await catalog.datasets.findByName(projectId, ref.dataset);
  if (!dataset) throw new DatasetLoadError(`dataset '${ref.dataset}' does not exist in this project`);
  const version = await catalog.datasets.findVersion(dataset.id, ref.version);
  if (!version) throw new DatasetLoadError(`dataset '${ref.dataset}' has no version ${ref.version}`);
  return version;
}

function selectExpr(name: string, read: ColumnRead, type: string): string {
  const c = sqlIdentifier(name);
  if (read === 'text') return `CAST(${c} AS VARCHAR)`;
  if (read === 'time') {
    if (type === 'timestamp' || type === 'date') return `CAST(epoch_ms(CAST(${c} AS TIMESTAMP)) AS DOUBLE)`;
    return `CAST(${c} AS DOUBLE)`;
  }
  return `CAST(${c} AS DOUBLE)`;
}

/** Read `wanted` columns of a dataset version (in file order), every row. */
export async function loadDatasetColumns(
  artifacts: ArtifactStore,
  version: DatasetVersion,
  wanted: Record<string, ColumnRead>,
  opts: { threads?: number } = {},
): Promise<LoadedTable> {
  const schema = storedColumns(version.schema);
  const byName = new Map(schema.map((c) => [c.name, c]));
  const missing = Object.keys(wanted).filter((n) => !byName.has(n));
  if (missing.length) throw new DatasetLoadError(`dataset version has no column(s) ${missing.map((m) => `'${m}'`).join(', ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'atelier-train-'));
  try {
    const path = join(dir, `data.${version.format}`);
    await pipeline(await artifacts.get(version.artifactKey), createWriteStream(path));
    const names = Object.keys(wanted);
    const selects = names.map((n, i) => `${selectExpr(n, wanted[n], byName.get(n)!.type)} AS c${i}`);
    return await withDuckDb({ threads: opts.threads ?? 1, memoryLimitMb: 256 }, async (db) => {
      const rows = await db.allJson(`SELECT ${selects.join(', ')} FROM ${datasetReaderSql(path, version.format, { columns: schema } as Parameters<typeof datasetReaderSql>[2])}`);
      const n = rows.length;
      const columns: LoadedTable['columns'] = {};
      names.forEach((name, i) => {
        const key = `c${i}`;
        if (wanted[name] === 'text') {
          const out = new Array<string | null>(n);
          for (let r = 0; r < n; r++) {
            const v = rows[r][key];
            out[r] = v === null || v === undefined ? null : String(v);
          }
          columns[name] = out;
        } else {
          const out = new Float64Array(n);
          for (let r = 0; r < n; r++) {
            const v = rows[r][key];
            out[r] = v === null || v === undefined ? NaN : Number(v);
          }
          columns[name] = out;
        }
      });
      return { datasetVersion: version, numRows: n, columns };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
