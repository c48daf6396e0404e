import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { DatasetFormat, DatasetsTable, DatasetVersionsTable } from '../schema/datasets.tables.js';
import { json } from '../schema/columns.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';
import { inTransaction } from './transaction.js';

export interface Dataset {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewDataset {
  projectId: string;
  name: string;
  description?: string;
  createdBy?: string | null;
}

/** An immutable, numbered version: the bytes live in artifacts under `artifactKey`. */
export interface DatasetVersion {
  id: string;
  datasetId: string;
  version: number;
  format: DatasetFormat;
  artifactKey: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  schema: unknown;
  profile: unknown;
  lineage: Record<string, unknown>;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewDatasetVersion {
  datasetId: string;
  format: DatasetFormat;
  artifactKey: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  schema: unknown;
  profile?: unknown;
  lineage?: Record<string, unknown>;
  createdBy?: string | null;
}

const toDataset = (r: Selectable<DatasetsTable>): Dataset => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toVersion = (r: Selectable<DatasetVersionsTable>): DatasetVersion => ({
  id: r.id,
  datasetId: r.dataset_id,
  version: r.version,
  format: r.format,
  artifactKey: r.artifact_key,
  sha256: r.sha256,
  sizeBytes: r.size_bytes,
  rowCount: r.row_count,
  schema: r.schema,
  profile: r.profile,
  lineage: r.lineage,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export class DatasetsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewDataset): Promise<Dataset> {
    try {
      const row = await this.db
        .insertInto('datasets')
        .values({
          id: randomUUID(),
          project_id: input.projectId,
          name: input.name,
          description: input.description ?? '',
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDataset(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError(
          'ATL_DATASET_EXISTS',
          `A dataset named '${input.name}' already exists in this project; add a version to it, or pick another name.`,
          { name: input.name },
        );
      }
      throw err;
    }
  }

  async findByName(projectId: string, name: string): Promise<Dataset | undefined> {
    const row = await this.db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toDataset(row);
  }

  async getByName(projectId: string, name: string): Promise<Dataset> {
    const dataset = await this.findByName(projectId, name);
    if (!dataset) throw new NotFoundError('dataset', name);
    return dataset;
  }

  async findById(id: string): Promise<Dataset | undefined> {
    const row = await this.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDataset(row);
  }

  /** Datasets of a project in name order; `after` (a name) pages forward. */
  async list(projectId: string, opts: { limit?: number; after?: string } = {}): Promise<Dataset[]> {
    let q = this.db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('name')
      .limit(opts.limit ?? 100);
    if (opts.after) q = q.where('name', '>', opts.after);
    return (await q.execute()).map(toDataset);
  }

  /** Deletes the dataset and its version rows (the artifacts' bytes are the caller's to remove). */
  async delete(id: string): Promise<void> {
    const res = await this.db.deleteFrom('datasets').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError('dataset', id);
  }

  /**
   * Record a new version with the next number. The parent dataset row is locked for the transaction,
   * so concurrent uploads to one dataset get consecutive numbers instead of a unique violation.
   */
  async createVersion(input: NewDatasetVersion): Promise<DatasetVersion> {
    return inTransaction(this.db, async (tx) => {
      const parent = await tx
        .selectFrom('datasets')
        .select('id')
        .where('id', '=', input.datasetId)
        .forUpdate()
        .executeTakeFirst();
      if (!parent) throw new NotFoundError('dataset', input.datasetId);
      // A separate statement after the lock: its snapshot sees versions committed by whoever held it.
      const { last } = await tx
        .selectFrom('dataset_versions')
        .select(sql<number>`coalesce(max(version), 0)::int`.as('last'))
        .where('dataset_id', '=', input.datasetId)
        .executeTakeFirstOrThrow();
      const row = await tx
        .insertInto('dataset_versions')
        .values({
          id: randomUUID(),
          dataset_id: input.datasetId,
          version: last + 1,
          format: input.format,
          artifact_key: input.artifactKey,
          sha256: input.sha256,
          size_bytes: input.sizeBytes,
          row_count: input.rowCount,
          schema: json(input.schema),
          profile: json(input.profile ?? {}),
          lineage: json(input.lineage ?? {}),
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    });
  }

  /**
   * Like createVersion, unless a version of this dataset already has these bytes (`sha256`): then that
   * version is returned with `created: false`. The check runs under the dataset's row lock, so two
   * concurrent uploads of the same new content make one version, not two.
   */
  async createVersionUnlessDuplicate(input: NewDatasetVersion): Promise<{ version: DatasetVersion; created: boolean }> {
    return inTransaction(this.db, async (tx) => {
      const parent = await tx.selectFrom('datasets').select('id').where('id', '=', input.datasetId).forUpdate().executeTakeFirst();
      if (!parent) throw new NotFoundError('dataset', input.datasetId);
      const repo = new DatasetsRepository(tx);
      const existing = await repo.findVersionBySha(input.datasetId, input.sha256);
      if (existing) return { version: existing, created: false };
      return { version: await repo.createVersion(input), created: true };
    });
  }

  /** The earliest version with exactly these bytes: a re-upload of identical content finds it here. */
  async findVersionBySha(datasetId: string, sha256: string): Promise<DatasetVersion | undefined> {
    const row = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('sha256', '=', sha256)
      .orderBy('version')
      .limit(1)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  async findVersion(datasetId: string, version: number): Promise<DatasetVersion | undefined> {
    const row = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  async getVersion(datasetId: string, version: number): Promise<DatasetVersion> {
    const found = await this.findVersion(datasetId, version);
    if (!found) throw new NotFoundError('dataset version', String(version));
    return found;
  }

  async findVersionById(id: string): Promise<DatasetVersion | undefined> {
    const row = await this.db.selectFrom('dataset_versions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVersion(row);
  }

  async latestVersion(datasetId: string): Promise<DatasetVersion | undefined> {
    const row = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** Newest first; `beforeVersion` pages backwards. */
  async listVersions(datasetId: string, opts: { limit?: number; beforeVersion?: number } = {}): Promise<DatasetVersion[]> {
    let q = this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('version', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.beforeVersion !== undefined) q = q.where('version', '<', opts.beforeVersion);
    return (await q.execute()).map(toVersion);
  }
}
