// How the feature store reaches datasets: resolve a (name, version), get a local copy of its bytes for
// DuckDB, read it the way the datasets module reads it, and publish a training set as a new version
// with lineage. `ServiceFeatureDatasets` goes through the datasets module (DatasetsService for local
// copies and datasets, its analyzer for schema + profile, its content keys for the bytes), so a
// training set is an ordinary dataset version.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Catalog, DatasetFormat, DatasetVersion } from '@atelier/catalog';
import type { ArtifactStore } from '@atelier/artifacts';
import { sqlLiteral } from '../duckdb/duckdb-session.js';
import { analyzeDatasetFile, datasetReaderSql } from '../datasets/dataset-analyzer.js';
import { CONTENT_TYPE_OF } from '../datasets/dataset-format.js';
import type { VersionSchema } from '../datasets/dataset-schema.js';
import { artifactKeys } from '@atelier/contracts';
import type { DatasetsService } from '../datasets/datasets.service.js';

export interface ResolvedDatasetVersion {
  datasetId: string;
  datasetName: string;
  version: number;
  versionId: string;
  format: DatasetFormat;
  sha256: string;
  artifactKey: string;
  rowCount: number;
  schema: unknown;
}

export interface PublishDatasetVersion {
  projectId: string;
  name: string;
  filePath: string;
  format: 'parquet' | 'csv';
  lineage: Record<string, unknown>;
  createdBy?: string | null;
}

export interface FeatureDatasets {
  /** The dataset's version `version`, or its latest when omitted; undefined when either is missing. */
  resolve(projectId: string, name: string, version?: number): Promise<ResolvedDatasetVersion | undefined>;
  /** The same, by dataset id (view versions store the id). */
  resolveById(projectId: string, datasetId: string, version?: number): Promise<ResolvedDatasetVersion | undefined>;
  /** A local file with the version's bytes (cached by content hash; do not modify it). */
  localCopy(version: ResolvedDatasetVersion): Promise<string>;
  /** Store a file as the next version of dataset `name` (created when missing). */
  publish(input: PublishDatasetVersion): Promise<ResolvedDatasetVersion>;
}

export function toResolved(datasetName: string, v: DatasetVersion): ResolvedDatasetVersion {
  return {
    datasetId: v.datasetId,
    datasetName,
    version: v.version,
    versionId: v.id,
    format: v.format,
    sha256: v.sha256,
    artifactKey: v.artifactKey,
    rowCount: v.rowCount,
    schema: v.schema,
  };
}

function isVersionSchema(schema: unknown): schema is VersionSchema {
  const cols = (schema as { columns?: unknown } | null)?.columns;
  return Array.isArray(cols) && cols.every((c) => c && typeof c.name === 'string' && typeof c.duckdbType === 'string');
}

/**
 * The DuckDB table function reading a dataset file: with the version's stored schema (the datasets
 * module's exact column types) when it has one; else auto-detected, `varcharColumns` read as text
 * (timestamps we classify ourselves).
 */
export function readerSql(path: string, format: DatasetFormat, opts: { schema?: unknown; varcharColumns?: string[] } = {}): string {
  if (isVersionSchema(opts.schema)) return datasetReaderSql(path, format, opts.schema);
  const p = sqlLiteral(path);
  if (format === 'parquet') return `read_parquet(${p})`;
  if (format === 'jsonl') return `read_json(${p}, format = 'newline_delimited')`;
  const types = (opts.varcharColumns ?? []).map((c) => `${sqlLiteral(c)}: 'VARCHAR'`).join(', ');
  return `read_csv(${p}, header = true${types ? `, types = {${types}}` : ''})`;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class ServiceFeatureDatasets implements FeatureDatasets {
  constructor(
    private readonly catalog: Catalog,
    private readonly artifacts: ArtifactStore,
    private readonly service: DatasetsService,
  ) {}

  async resolve(projectId: string, name: string, version?: number): Promise<ResolvedDatasetVersion | undefined> {
    const dataset = await this.catalog.datasets.findByName(projectId, name);
    if (!dataset) return undefined;
    const v = version === undefined ? await this.catalog.datasets.latestVersion(dataset.id) : await this.catalog.datasets.findVersion(dataset.id, version);
    return v && toResolved(dataset.name, v);
  }

  async resolveById(projectId: string, datasetId: string, version?: number): Promise<ResolvedDatasetVersion | undefined> {
    const dataset = await this.catalog.datasets.findById(datasetId);
    if (!dataset || dataset.projectId !== projectId) return undefined;
    return this.resolve(projectId, dataset.name, version);
  }

  localCopy(version: ResolvedDatasetVersion): Promise<string> {
    return this.service.localCopy(version.versionId);
  }

  async publish(input: PublishDatasetVersion): Promise<ResolvedDatasetVersion> {
    let dataset = await this.catalog.datasets.findByName(input.projectId, input.name);
    if (!dataset) {
      try {
        await this.service.createDataset(input.projectId, { name: input.name, createdBy: input.createdBy ?? null });
      } catch (err) {
        if ((err as { code?: string }).code !== 'ATL_DATASET_EXISTS') throw err;
      }
      dataset = await this.catalog.datasets.getByName(input.projectId, input.name);
    }
    // Schema and profile by the datasets module's analyzer, then the bytes (durable), then the row.
    const analysis = await analyzeDatasetFile(input.filePath, {
      format: input.format,
      duckdb: { memoryLimitMb: this.service.config.duckdbMemoryLimitMb, threads: this.service.config.duckdbThreads },
    });
    const sha256 = await sha256File(input.filePath);
    const key = artifactKeys.dataset(dataset.id, sha256, input.format);
    if (!(await this.artifacts.stat(key))) {
      await this.artifacts.put(key, createReadStream(input.filePath), { contentType: CONTENT_TYPE_OF[input.format] });
    }
    const version = await this.catalog.datasets.createVersion({
      datasetId: dataset.id,
      format: input.format,
      artifactKey: key,
      sha256,
      sizeBytes: (await stat(input.filePath)).size,
      rowCount: analysis.rowCount,
      schema: analysis.schema,
      profile: analysis.profile,
      lineage: input.lineage,
      createdBy: input.createdBy ?? null,
    });
    // Bytes reused above may have been orphans the artifact collector removed before our insert.
    if (!(await this.artifacts.stat(key))) {
      await this.artifacts.put(key, createReadStream(input.filePath), { contentType: CONTENT_TYPE_OF[input.format] });
    }
    return toResolved(dataset.name, version);
  }
}
