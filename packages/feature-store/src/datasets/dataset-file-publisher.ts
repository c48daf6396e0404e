// Registers a file the platform produced (batch predictions) as the next version of a dataset of the
// project, on the datasets module's registration path: the analyzer gives schema + profile, the bytes
// go to their content key (hash-checked) BEFORE any row points at them, and the version row is written
// in ONE transaction with whatever the caller commits beside it (the job's success), so a crash at any
// point leaves either no version and no finished job, or both.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion } from '@atelier/catalog';
import { artifactKeys } from '@atelier/contracts';
import type { DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { analyzeDatasetFile } from './dataset-analyzer.js';
import { CONTENT_TYPE_OF, type DatasetFileFormat } from './dataset-format.js';

type Tx = Parameters<Parameters<Catalog['transaction']>[0]>[0];

export interface PublishDatasetFileInput {
  projectId: string;
  /** The dataset (created when missing). */
  dataset: string;
  path: string;
  format: DatasetFileFormat;
  lineage: Record<string, unknown>;
  createdBy?: string | null;
  /** Profiling session settings (memory_limit, threads, spill dir). */
  duckdb?: DuckDbSessionOptions;
}

export interface PublishedDatasetFile {
  datasetId: string;
  version: DatasetVersion;
  /** False when these exact bytes were already a version of the dataset (that version is returned). */
  created: boolean;
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Profile, store and register `path` as a version of `input.dataset`; `commit(tx, published)` runs in
 * the transaction that writes the version row (throwing rolls the row back).
 */
export async function publishDatasetFile(
  catalog: Catalog,
  artifacts: ArtifactStore,
  input: PublishDatasetFileInput,
  commit?: (tx: Tx, published: PublishedDatasetFile) => Promise<void>,
): Promise<PublishedDatasetFile> {
  let dataset = await catalog.datasets.findByName(input.projectId, input.dataset);
  if (!dataset) {
    try {
      dataset = await catalog.datasets.create({ projectId: input.projectId, name: input.dataset, createdBy: input.createdBy ?? null });
    } catch (err) {
      if ((err as { code?: string }).code !== 'ATL_DATASET_EXISTS') throw err;
      dataset = await catalog.datasets.getByName(input.projectId, input.dataset);
    }
  }
  const analysis = await analyzeDatasetFile(input.path, { format: input.format, ...(input.duckdb && { duckdb: input.duckdb }) });
  const { sha256, size } = await hashFile(input.path);
  const key = artifactKeys.dataset(dataset.id, sha256, input.format);
  const existing = await artifacts.stat(key);
  if (!existing || existing.size !== size || (existing.sha256 !== undefined && existing.sha256 !== sha256)) {
    const put = await artifacts.put(key, createReadStream(input.path), { contentType: CONTENT_TYPE_OF[input.format] });
    if (put.sha256 !== sha256 || put.size !== size) {
      await artifacts.delete(key).catch(() => {});
      throw new Error(`artifact store wrote ${put.size} bytes with sha256 ${put.sha256}, expected ${size} / ${sha256}`);
    }
  }
  const datasetId = dataset.id;
  let published: PublishedDatasetFile;
  try {
    published = await catalog.transaction(async (tx) => {
      const { version, created } = await tx.datasets.createVersionUnlessDuplicate({
        datasetId,
        format: input.format,
        artifactKey: key,
        sha256,
        sizeBytes: size,
        rowCount: analysis.rowCount,
        schema: analysis.schema,
        profile: analysis.profile,
        lineage: input.lineage,
        createdBy: input.createdBy ?? null,
      });
      const result = { datasetId, version, created };
      await commit?.(tx, result);
      return result;
    });
  } catch (err) {
    // No row points at the bytes unless another registration of the same content did.
    if (!(await catalog.datasets.findVersionBySha(datasetId, sha256).catch(() => undefined))) await artifacts.delete(key).catch(() => {});
    throw err;
  }
  // Bytes reused above may have been orphans the artifact collector removed before our insert.
  if (!(await artifacts.stat(key))) await artifacts.put(key, createReadStream(input.path), { contentType: CONTENT_TYPE_OF[input.format] });
  return published;
}
