import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { ModelFormat, ModelsTable, ModelVersionsTable } from '../schema/registry.tables.js';
import { json } from '../schema/columns.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { inTransaction } from './transaction.js';
import { routedVersionRefs } from './deployments.repository.js';

export interface Model {
  id: string;
  projectId: string;
  name: string;
  description: string;
  task: string | null;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewModel {
  projectId: string;
  name: string;
  description?: string;
  task?: string | null;
  createdBy?: string | null;
}

/** An immutable model version: the bundle in artifacts plus what it was made from. */
export interface ModelVersion {
  id: string;
  modelId: string;
  version: number;
  format: ModelFormat;
  bundleKey: string;
  bundleSha256: string;
  bundleSize: number;
  signature: unknown;
  metrics: Record<string, number>;
  lineage: Record<string, unknown>;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewModelVersion {
  modelId: string;
  format: ModelFormat;
  bundleKey: string;
  bundleSha256: string;
  bundleSize: number;
  signature: unknown;
  metrics?: Record<string, number>;
  lineage?: Record<string, unknown>;
  createdBy?: string | null;
}

export interface ModelAlias {
  modelId: string;
  alias: string;
  versionId: string;
  /** The number of the version the alias points at. */
  version: number;
  updatedAt: Date;
  updatedBy: string | null;
}

const toModel = (r: Selectable<ModelsTable>): Model => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  task: r.task,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toVersion = (r: Selectable<ModelVersionsTable>): ModelVersion => ({
  id: r.id,
  modelId: r.model_id,
  version: r.version,
  format: r.format,
  bundleKey: r.bundle_key,
  bundleSha256: r.bundle_sha256,
  bundleSize: r.bundle_size,
  signature: r.signature,
  metrics: r.metrics,
  lineage: r.lineage,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

interface AliasRow {
  model_id: string;
  alias: string;
  version_id: string;
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

const toAlias = (r: AliasRow): ModelAlias => ({
  modelId: r.model_id,
  alias: r.alias,
  versionId: r.version_id,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export class ModelsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The project's model with this name, created on first use (training a new model name creates it). */
  async createOrGet(input: NewModel): Promise<Model> {
    const inserted = await this.db
      .insertInto('models')
      .values({
        id: randomUUID(),
        project_id: input.projectId,
        name: input.name,
        description: input.description ?? '',
        task: input.task ?? null,
        created_by: input.createdBy ?? null,
      })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return toModel(inserted);
    return this.getByName(input.projectId, input.name);
  }

  async findByName(projectId: string, name: string): Promise<Model | undefined> {
    const row = await this.db
      .selectFrom('models')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toModel(row);
  }

  async getByName(projectId: string, name: string): Promise<Model> {
    const model = await this.findByName(projectId, name);
    if (!model) throw new NotFoundError('model', name);
    return model;
  }

  async findById(id: string): Promise<Model | undefined> {
    const row = await this.db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toModel(row);
  }

  /** Several models in one query (a serving node's reconcile); unknown ids are absent. */
  async findByIds(ids: readonly string[]): Promise<Model[]> {
    if (ids.length === 0) return [];
    return (await this.db.selectFrom('models').selectAll().where('id', 'in', [...ids]).execute()).map(toModel);
  }

  /** Versions by (model, number) in one query; those that do not exist are absent. */
  async findVersions(refs: ReadonlyArray<{ modelId: string; version: number }>): Promise<ModelVersion[]> {
    if (refs.length === 0) return [];
    const rows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where((eb) => eb.or(refs.map((r) => eb.and([eb('model_id', '=', r.modelId), eb('version', '=', r.version)]))))
      .execute();
    return rows.map(toVersion);
  }

  /** Every alias of these models in one query. */
  async listAliasesOf(modelIds: readonly string[]): Promise<ModelAlias[]> {
    if (modelIds.length === 0) return [];
    return (await this.aliases().where('a.model_id', 'in', [...modelIds]).execute()).map(toAlias);
  }

  async getById(id: string): Promise<Model> {
    const model = await this.findById(id);
    if (!model) throw new NotFoundError('model', id);
    return model;
  }

  /** Models of a project in name order; `after` (a name) pages forward. */
  async list(projectId: string, opts: { limit?: number; after?: string } = {}): Promise<Model[]> {
    let q = this.db
      .selectFrom('models')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('name')
      .limit(opts.limit ?? 100);
    if (opts.after) q = q.where('name', '>', opts.after);
    return (await q.execute()).map(toModel);
  }

  /**
   * Register a version with the next number. The model row is locked for the transaction, so versions
   * registered concurrently get consecutive numbers. Versions are immutable: there is no update.
   */
  async createVersion(input: NewModelVersion): Promise<ModelVersion> {
    return inTransaction(this.db, async (tx) => {
      await lockModel(tx, input.modelId);
      // The counter, not max(version), so a deleted version's number is never handed out again.
      const { last_version: next } = await tx
        .updateTable('models')
        .set((eb) => ({ last_version: eb('last_version', '+', 1) }))
        .where('id', '=', input.modelId)
        .returning('last_version')
        .executeTakeFirstOrThrow();
      const row = await tx
        .insertInto('model_versions')
        .values({
          id: randomUUID(),
          model_id: input.modelId,
          version: next,
          format: input.format,
          bundle_key: input.bundleKey,
          bundle_sha256: input.bundleSha256,
          bundle_size: input.bundleSize,
          signature: json(input.signature),
          metrics: json(input.metrics ?? {}),
          lineage: json(input.lineage ?? {}),
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    });
  }

  async findVersion(modelId: string, version: number): Promise<ModelVersion | undefined> {
    const row = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  async getVersion(modelId: string, version: number): Promise<ModelVersion> {
    const found = await this.findVersion(modelId, version);
    if (!found) throw new NotFoundError('model version', String(version));
    return found;
  }

  async findVersionById(id: string): Promise<ModelVersion | undefined> {
    const row = await this.db.selectFrom('model_versions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toVersion(row);
  }

  async getVersionById(id: string): Promise<ModelVersion> {
    const found = await this.findVersionById(id);
    if (!found) throw new NotFoundError('model version', id);
    return found;
  }

  async latestVersion(modelId: string): Promise<ModelVersion | undefined> {
    const row = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** Newest first; `beforeVersion` pages backwards. */
  async listVersions(modelId: string, opts: { limit?: number; beforeVersion?: number } = {}): Promise<ModelVersion[]> {
    let q = this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .orderBy('version', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.beforeVersion !== undefined) q = q.where('version', '<', opts.beforeVersion);
    return (await q.execute()).map(toVersion);
  }

  /**
   * Point `alias` at a version of this model (create or move). Returns the version id it pointed at
   * before (null when new). Alias moves of one model are serialized on the model row, so the previous
   * id is exact even when two moves race; record the audit entry in the same `catalog.transaction`.
   */
  async setAlias(modelId: string, alias: string, versionId: string, actorKeyId: string | null): Promise<string | null> {
    return inTransaction(this.db, async (tx) => {
      await lockModel(tx, modelId);
      const target = await tx
        .selectFrom('model_versions')
        .select('id')
        .where('id', '=', versionId)
        .where('model_id', '=', modelId)
        .executeTakeFirst();
      if (!target) throw new NotFoundError('model version', versionId);
      const previous = await tx
        .selectFrom('model_aliases')
        .select('version_id')
        .where('model_id', '=', modelId)
        .where('alias', '=', alias)
        .executeTakeFirst();
      await tx
        .insertInto('model_aliases')
        .values({ model_id: modelId, alias, version_id: versionId, updated_by: actorKeyId })
        .onConflict((oc) =>
          oc.columns(['model_id', 'alias']).doUpdateSet({
            version_id: versionId,
            updated_at: sql`now()`,
            updated_by: actorKeyId,
          }),
        )
        .execute();
      return previous?.version_id ?? null;
    });
  }

  private aliases() {
    return this.db
      .selectFrom('model_aliases as a')
      .innerJoin('model_versions as v', 'v.id', 'a.version_id')
      .select(['a.model_id', 'a.alias', 'a.version_id', 'v.version', 'a.updated_at', 'a.updated_by']);
  }

  async findAlias(modelId: string, alias: string): Promise<ModelAlias | undefined> {
    const row = await this.aliases().where('a.model_id', '=', modelId).where('a.alias', '=', alias).executeTakeFirst();
    return row && toAlias(row);
  }

  async getAlias(modelId: string, alias: string): Promise<ModelAlias> {
    const found = await this.findAlias(modelId, alias);
    if (!found) throw new NotFoundError('model alias', alias);
    return found;
  }

  async listAliases(modelId: string): Promise<ModelAlias[]> {
    return (await this.aliases().where('a.model_id', '=', modelId).orderBy('a.alias').execute()).map(toAlias);
  }

  /** Remove an alias; returns the version id it pointed at. */
  async deleteAlias(modelId: string, alias: string): Promise<string> {
    const row = await this.db
      .deleteFrom('model_aliases')
      .where('model_id', '=', modelId)
      .where('alias', '=', alias)
      .returning('version_id')
      .executeTakeFirst();
    if (!row) throw new NotFoundError('model alias', alias);
    return row.version_id;
  }

  /**
   * Delete a version that nothing serves. Refused with ATL_MODEL_VERSION_IN_USE when an alias points
   * at it or the current revision of a deployment routes or shadows to it (by number, or through an
   * alias). Serialized with alias moves and deployment revisions on the model row.
   */
  async deleteVersion(versionId: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const version = await tx
        .selectFrom('model_versions')
        .select(['id', 'model_id', 'version'])
        .where('id', '=', versionId)
        .executeTakeFirst();
      if (!version) throw new NotFoundError('model version', versionId);
      await lockModel(tx, version.model_id);

      const aliases = (
        await tx.selectFrom('model_aliases').select('alias').where('version_id', '=', versionId).orderBy('alias').execute()
      ).map((a) => a.alias);
      const current = await tx
        .selectFrom('deployments as d')
        .innerJoin('deployment_revisions as r', (j) =>
          j.onRef('r.deployment_id', '=', 'd.id').onRef('r.revision', '=', 'd.current_revision'),
        )
        .select(['d.name', 'r.spec'])
        .where('d.model_id', '=', version.model_id)
        .orderBy('d.name')
        .execute();
      const deployments = current
        .filter(({ spec }) =>
          routedVersionRefs(spec).some((ref) => ref.version === version.version || (ref.alias !== undefined && aliases.includes(ref.alias))),
        )
        .map((d) => d.name);

      if (aliases.length > 0 || deployments.length > 0) {
        const uses = [
          ...(aliases.length > 0 ? [`alias${aliases.length > 1 ? 'es' : ''} ${aliases.map((a) => `'${a}'`).join(', ')}`] : []),
          ...(deployments.length > 0
            ? [`deployment${deployments.length > 1 ? 's' : ''} ${deployments.map((d) => `'${d}'`).join(', ')}`]
            : []),
        ];
        throw new ConflictError(
          'ATL_MODEL_VERSION_IN_USE',
          `Model version ${version.version} is in use by ${uses.join(' and ')}; move those aliases and ` +
            `deployments to another version first, then delete it.`,
          { version: version.version, aliases, deployments },
        );
      }
      await tx.deleteFrom('model_versions').where('id', '=', versionId).execute();
    });
  }
}

/** Lock a model row for the transaction (NotFound when it does not exist). */
async function lockModel(tx: Kysely<Database>, modelId: string): Promise<void> {
  const row = await tx.selectFrom('models').select('id').where('id', '=', modelId).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError('model', modelId);
}
