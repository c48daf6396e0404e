// Feature store metadata: entities, feature views and their immutable versions, materialization runs
// and the online-store pointer (which generation readers see). The online rows themselves are read and
// written by @atelier/feature-store through this catalog's Kysely instance.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type {
  EntitiesTable,
  FeatureViewVersionsTable,
  MaterializationMode,
  MaterializationRunsTable,
  MaterializationStatus,
  OnlineStoresTable,
  TypedColumn,
} from '../schema/feature-store.tables.js';
import { json } from '../schema/columns.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';
import { inTransaction } from './transaction.js';

export interface Entity {
  id: string;
  projectId: string;
  name: string;
  description: string;
  joinKeys: TypedColumn[];
  createdAt: Date;
  createdBy: string | null;
}

export interface NewEntity {
  projectId: string;
  name: string;
  description?: string;
  joinKeys: TypedColumn[];
  createdBy?: string | null;
}

export interface FeatureView {
  id: string;
  projectId: string;
  name: string;
  createdAt: Date;
}

/** One immutable version of a feature view: its source is pinned to one dataset version. */
export interface FeatureViewVersion {
  id: string;
  featureViewId: string;
  /** The view's name (joined in for convenience). */
  name: string;
  version: number;
  entityId: string;
  /** The entity's name (joined in). */
  entityName: string;
  datasetId: string;
  /** The source dataset's name (joined in). */
  datasetName: string;
  datasetVersion: number;
  eventTimestampColumn: string;
  features: TypedColumn[];
  ttlSeconds: number;
  description: string;
  specHash: string;
  statistics: Record<string, unknown>;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewFeatureViewVersion {
  projectId: string;
  name: string;
  entityId: string;
  datasetId: string;
  datasetVersion: number;
  eventTimestampColumn: string;
  features: TypedColumn[];
  ttlSeconds: number;
  description?: string;
  specHash: string;
  statistics?: Record<string, unknown>;
  createdBy?: string | null;
}

export interface MaterializationRun {
  id: string;
  featureViewVersionId: string;
  mode: MaterializationMode;
  status: MaterializationStatus;
  datasetVersion: number;
  generation: number;
  /** Incremental runs read rows with event time > this (the previous complete run's watermark). */
  startWatermark: Date | null;
  /** The max event timestamp this run materialized (set when it completes). */
  endWatermark: Date | null;
  rowsWritten: number;
  chunksWritten: number;
  error: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

/** What readers see for a view version: the generation of its last complete materialization. */
export interface OnlineStoreState {
  featureViewVersionId: string;
  generation: number;
  watermark: Date | null;
  runId: string;
  rowCount: number;
  updatedAt: Date;
}

const toEntity = (r: Selectable<EntitiesTable>): Entity => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  joinKeys: r.join_keys,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

type ViewVersionRow = Selectable<FeatureViewVersionsTable> & { name: string; entity_name: string; dataset_name: string };

const toViewVersion = (r: ViewVersionRow): FeatureViewVersion => ({
  id: r.id,
  featureViewId: r.feature_view_id,
  name: r.name,
  version: r.version,
  entityId: r.entity_id,
  entityName: r.entity_name,
  datasetId: r.dataset_id,
  datasetName: r.dataset_name,
  datasetVersion: r.dataset_version,
  eventTimestampColumn: r.event_timestamp_column,
  features: r.features,
  ttlSeconds: r.ttl_seconds,
  description: r.description,
  specHash: r.spec_hash,
  statistics: r.statistics,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toRun = (r: Selectable<MaterializationRunsTable>): MaterializationRun => ({
  id: r.id,
  featureViewVersionId: r.feature_view_version_id,
  mode: r.mode,
  status: r.status,
  datasetVersion: r.dataset_version,
  generation: r.generation,
  startWatermark: r.start_watermark,
  endWatermark: r.end_watermark,
  rowsWritten: r.rows_written,
  chunksWritten: r.chunks_written,
  error: r.error,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

const toState = (r: Selectable<OnlineStoresTable>): OnlineStoreState => ({
  featureViewVersionId: r.feature_view_version_id,
  generation: r.generation,
  watermark: r.watermark,
  runId: r.run_id,
  rowCount: r.row_count,
  updatedAt: r.updated_at,
});

export class FeatureStoreRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ---- entities -------------------------------------------------------------------------------

  async createEntity(input: NewEntity): Promise<Entity> {
    try {
      const row = await this.db
        .insertInto('entities')
        .values({
          id: randomUUID(),
          project_id: input.projectId,
          name: input.name,
          description: input.description ?? '',
          join_keys: json(input.joinKeys),
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntity(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('ATL_ENTITY_EXISTS', `An entity named '${input.name}' already exists in this project; entities are immutable, pick another name.`, {
          name: input.name,
        });
      }
      throw err;
    }
  }

  async findEntity(projectId: string, name: string): Promise<Entity | undefined> {
    const row = await this.db.selectFrom('entities').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row && toEntity(row);
  }

  async findEntityById(id: string): Promise<Entity | undefined> {
    const row = await this.db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEntity(row);
  }

  async listEntities(projectId: string, opts: { limit?: number; after?: string } = {}): Promise<Entity[]> {
    let q = this.db.selectFrom('entities').selectAll().where('project_id', '=', projectId).orderBy('name').limit(opts.limit ?? 100);
    if (opts.after) q = q.where('name', '>', opts.after);
    return (await q.execute()).map(toEntity);
  }

  // ---- feature views --------------------------------------------------------------------------

  async findFeatureView(projectId: string, name: string): Promise<FeatureView | undefined> {
    const row = await this.db.selectFrom('feature_views').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row && { id: row.id, projectId: row.project_id, name: row.name, createdAt: row.created_at };
  }

  /**
   * Record a new version of the view `name` (creating the view on its first version). The view row is
   * locked, so concurrent applies get consecutive numbers. When the latest version has the same
   * `specHash`, that version is returned instead (`created: false`): applying an unchanged
   * definition is a no-op.
   */
  async createFeatureViewVersion(input: NewFeatureViewVersion): Promise<{ version: FeatureViewVersion; created: boolean }> {
    return inTransaction(this.db, async (tx) => {
      await tx
        .insertInto('feature_views')
        .values({ id: randomUUID(), project_id: input.projectId, name: input.name, created_by: input.createdBy ?? null })
        .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
        .execute();
      const view = await tx
        .selectFrom('feature_views')
        .select(['id', 'name'])
        .where('project_id', '=', input.projectId)
        .where('name', '=', input.name)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const latest = await tx
        .selectFrom('feature_view_versions')
        .selectAll()
        .where('feature_view_id', '=', view.id)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest && latest.spec_hash === input.specHash) return { version: (await this.versionById(tx, latest.id))!, created: false };
      const row = await tx
        .insertInto('feature_view_versions')
        .values({
          id: randomUUID(),
          feature_view_id: view.id,
          version: (latest?.version ?? 0) + 1,
          entity_id: input.entityId,
          dataset_id: input.datasetId,
          dataset_version: input.datasetVersion,
          event_timestamp_column: input.eventTimestampColumn,
          features: json(input.features),
          ttl_seconds: input.ttlSeconds,
          description: input.description ?? '',
          spec_hash: input.specHash,
          statistics: json(input.statistics ?? {}),
          created_by: input.createdBy ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { version: (await this.versionById(tx, row.id))!, created: true };
    });
  }

  private async versionById(db: Kysely<Database>, id: string): Promise<FeatureViewVersion | undefined> {
    const row = await this.versionsQuery(db).where('v.id', '=', id).executeTakeFirst();
    return row && toViewVersion(row);
  }

  private versionsQuery(db: Kysely<Database> = this.db) {
    return db
      .selectFrom('feature_view_versions as v')
      .innerJoin('feature_views as f', 'f.id', 'v.feature_view_id')
      .innerJoin('entities as e', 'e.id', 'v.entity_id')
      .innerJoin('datasets as d', 'd.id', 'v.dataset_id')
      .selectAll('v')
      .select(['f.name', 'e.name as entity_name', 'd.name as dataset_name']);
  }

  /** A version of a view by name; `version` omitted → the latest. */
  async findViewVersion(projectId: string, name: string, version?: number): Promise<FeatureViewVersion | undefined> {
    let q = this.versionsQuery().where('f.project_id', '=', projectId).where('f.name', '=', name);
    q = version === undefined ? q.orderBy('v.version', 'desc').limit(1) : q.where('v.version', '=', version);
    const row = await q.executeTakeFirst();
    return row && toViewVersion(row);
  }

  async getViewVersion(projectId: string, name: string, version?: number): Promise<FeatureViewVersion> {
    const found = await this.findViewVersion(projectId, name, version);
    if (!found) {
      throw version === undefined
        ? new NotFoundError('feature view', name)
        : new NotFoundError('feature view version', `${name}@${version}`, 'ATL_FEATURE_VIEW_VERSION_NOT_FOUND');
    }
    return found;
  }

  async findViewVersionById(id: string): Promise<FeatureViewVersion | undefined> {
    return this.versionById(this.db, id);
  }

  /** Every version of a view, newest first. */
  async listViewVersions(projectId: string, name: string): Promise<FeatureViewVersion[]> {
    const rows = await this.versionsQuery().where('f.project_id', '=', projectId).where('f.name', '=', name).orderBy('v.version', 'desc').execute();
    return rows.map(toViewVersion);
  }

  /** The latest version of each view of a project, in name order. */
  async listLatestViewVersions(projectId: string, opts: { limit?: number; after?: string } = {}): Promise<FeatureViewVersion[]> {
    let q = this.versionsQuery()
      .where('f.project_id', '=', projectId)
      .where('v.version', '=', (eb) =>
        eb.selectFrom('feature_view_versions as v2').select(sql<number>`max(v2.version)`.as('m')).whereRef('v2.feature_view_id', '=', 'f.id'),
      )
      .orderBy('f.name')
      .limit(opts.limit ?? 100);
    if (opts.after) q = q.where('f.name', '>', opts.after);
    return (await q.execute()).map(toViewVersion);
  }

  async setStatistics(viewVersionId: string, statistics: Record<string, unknown>): Promise<void> {
    await this.db.updateTable('feature_view_versions').set({ statistics: json(statistics) }).where('id', '=', viewVersionId).execute();
  }

  // ---- materialization ------------------------------------------------------------------------

  /**
   * Start a run. Only one run per view version may be running: a second start fails with
   * ATL_MATERIALIZATION_CONFLICT unless the running one has not reported progress for
   * `staleAfterMs` (its process died), in which case that one is marked failed first.
   */
  async startRun(input: {
    featureViewVersionId: string;
    mode: MaterializationMode;
    datasetVersion: number;
    startWatermark: Date | null;
    createdBy?: string | null;
    staleAfterMs?: number;
  }): Promise<MaterializationRun> {
    return inTransaction(this.db, async (tx) => {
      // Serialize starts per view version on its row.
      await tx.selectFrom('feature_view_versions').select('id').where('id', '=', input.featureViewVersionId).forUpdate().executeTakeFirst();
      const running = await tx
        .selectFrom('materialization_runs')
        .selectAll()
        .where('feature_view_version_id', '=', input.featureViewVersionId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (running) {
        const stale = Date.now() - running.updated_at.getTime() > (input.staleAfterMs ?? 60_000);
        if (!stale) {
          throw new ConflictError(
            'ATL_MATERIALIZATION_CONFLICT',
            `A materialization of this feature view version is already running (run ${running.id}); wait for it to finish.`,
            { runId: running.id },
          );
        }
        await tx
          .updateTable('materialization_runs')
          .set({ status: 'failed', error: 'abandoned: no progress reported', finished_at: new Date(), updated_at: new Date() })
          .where('id', '=', running.id)
          .execute();
      }
      const { maxGen } = await tx
        .selectFrom('materialization_runs')
        .select(sql<number>`coalesce(max(generation), 0)::int`.as('maxGen'))
        .where('feature_view_version_id', '=', input.featureViewVersionId)
        .executeTakeFirstOrThrow();
      const row = await tx
        .insertInto('materialization_runs')
        .values({
          id: randomUUID(),
          feature_view_version_id: input.featureViewVersionId,
          mode: input.mode,
          status: 'running',
          dataset_version: input.datasetVersion,
          generation: maxGen + 1,
          start_watermark: input.startWatermark,
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRun(row);
    });
  }

  /**
   * A failed (or abandoned) run that can be resumed: same view version, mode, dataset version and
   * start watermark, and nothing completed since it started.
   */
  async findResumableRun(input: {
    featureViewVersionId: string;
    mode: MaterializationMode;
    datasetVersion: number;
    startWatermark: Date | null;
    staleAfterMs?: number;
  }): Promise<MaterializationRun | undefined> {
    const last = await this.db
      .selectFrom('materialization_runs')
      .selectAll()
      .where('feature_view_version_id', '=', input.featureViewVersionId)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last || last.status === 'complete') return undefined;
    if (last.status === 'running' && Date.now() - last.updated_at.getTime() <= (input.staleAfterMs ?? 60_000)) return undefined;
    const sameWatermark = (last.start_watermark?.getTime() ?? null) === (input.startWatermark?.getTime() ?? null);
    if (last.mode !== input.mode || last.dataset_version !== input.datasetVersion || !sameWatermark) return undefined;
    return toRun(last);
  }

  /** Take a resumable run back (status → running). Fails with a conflict when someone else took it. */
  async resumeRun(runId: string): Promise<MaterializationRun> {
    try {
      const row = await this.db
        .updateTable('materialization_runs')
        .set({ status: 'running', error: null, updated_at: new Date(), finished_at: null })
        .where('id', '=', runId)
        .where('status', '!=', 'complete')
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new ConflictError('ATL_MATERIALIZATION_CONFLICT', `Run ${runId} can no longer be resumed.`);
      return toRun(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('ATL_MATERIALIZATION_CONFLICT', 'Another materialization of this view version is running.');
      throw err;
    }
  }

  /** Record a committed chunk (call inside the transaction that wrote the chunk). */
  async recordChunk(runId: string, rows: number): Promise<void> {
    await this.db
      .updateTable('materialization_runs')
      .set((eb) => ({ rows_written: eb('rows_written', '+', rows), chunks_written: eb('chunks_written', '+', 1), updated_at: new Date() }))
      .where('id', '=', runId)
      .execute();
  }

  async failRun(runId: string, error: string): Promise<void> {
    await this.db
      .updateTable('materialization_runs')
      .set({ status: 'failed', error: error.slice(0, 2000), finished_at: new Date(), updated_at: new Date() })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Mark the run complete and point readers at `generation` with `watermark`: call inside the
   * transaction that writes the run's last rows, so both become visible together.
   */
  async completeRun(run: { id: string; featureViewVersionId: string }, state: { generation: number; watermark: Date | null; rowCount: number }): Promise<void> {
    const now = new Date();
    await this.db
      .updateTable('materialization_runs')
      .set({ status: 'complete', end_watermark: state.watermark, finished_at: now, updated_at: now })
      .where('id', '=', run.id)
      .execute();
    await this.db
      .insertInto('online_stores')
      .values({
        feature_view_version_id: run.featureViewVersionId,
        generation: state.generation,
        watermark: state.watermark,
        run_id: run.id,
        row_count: state.rowCount,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('feature_view_version_id').doUpdateSet({
          generation: state.generation,
          watermark: state.watermark,
          run_id: run.id,
          row_count: state.rowCount,
          updated_at: now,
        }),
      )
      .execute();
  }

  async getOnlineState(featureViewVersionId: string): Promise<OnlineStoreState | undefined> {
    const row = await this.db.selectFrom('online_stores').selectAll().where('feature_view_version_id', '=', featureViewVersionId).executeTakeFirst();
    return row && toState(row);
  }

  async findRun(runId: string): Promise<MaterializationRun | undefined> {
    const row = await this.db.selectFrom('materialization_runs').selectAll().where('id', '=', runId).executeTakeFirst();
    return row && toRun(row);
  }

  /** Runs of a view version, newest first. */
  async listRuns(featureViewVersionId: string, limit = 50): Promise<MaterializationRun[]> {
    const rows = await this.db
      .selectFrom('materialization_runs')
      .selectAll()
      .where('feature_view_version_id', '=', featureViewVersionId)
      .orderBy('started_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRun);
  }
}
