// Materialization: the latest feature values per entity key, from a dataset version into the online
// store. Full runs rebuild a new generation and flip readers to it; incremental runs take only rows
// newer than the watermark (the max event time already materialized), stage them, and merge them into
// the live generation. Rows stream out of DuckDB and are upserted in chunks (bounded memory); each
// chunk commits with the run's progress, so a failed run resumes where it stopped, and the run only
// becomes visible — status complete, watermark, generation flip — in the transaction of its last chunk.
import type { Catalog, Entity, FeatureViewVersion, MaterializationMode, MaterializationRun } from '@atelier/catalog';
import { sqlIdentifier, withDuckDb, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { FeatureStoreError, invalid, type FeatureFieldError } from './errors.js';
import type { FeatureDatasets } from './dataset-access.js';
import { datasetColumns } from './feature-registry.js';
import { typeFamily, typeMismatch } from './feature-types.js';
import { encodeParts, keyPart } from './entity-keys.js';
import { EVENT_TS, viewSource } from './view-source.js';
import { PostgresOnlineStore, type OnlineRow, type OnlineStore } from './online-store.js';

export interface MaterializeRequest {
  /** View version; latest when omitted. */
  version?: number;
  mode: MaterializationMode;
  /** Source dataset version (of the view's dataset); the dataset's latest when omitted. */
  datasetVersion?: number;
}

export interface MaterializerOptions {
  duckdb?: DuckDbSessionOptions;
  /** Rows per upsert transaction (default 5,000). */
  chunkSize?: number;
  /** Where the rows go (default: the Postgres store in the catalog's database). */
  store?: OnlineStore;
  /** A running run with no progress for this long is considered dead (default 60 s). */
  staleAfterMs?: number;
}

export interface MaterializationResult {
  run: MaterializationRun;
  view: FeatureViewVersion;
  /** True when this call continued a failed run instead of starting over. */
  resumed: boolean;
}

export class Materializer {
  private readonly chunkSize: number;
  private readonly store: OnlineStore;

  constructor(
    private readonly catalog: Catalog,
    private readonly datasets: FeatureDatasets,
    private readonly options: MaterializerOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 5000;
    this.store = options.store ?? new PostgresOnlineStore(catalog);
  }

  async materialize(projectId: string, viewName: string, req: MaterializeRequest, createdBy?: string | null): Promise<MaterializationResult> {
    const view = await this.catalog.featureStore.findViewVersion(projectId, viewName, req.version);
    if (!view) {
      throw new FeatureStoreError(
        req.version === undefined ? 'ATL_FEATURE_VIEW_NOT_FOUND' : 'ATL_FEATURE_VIEW_VERSION_NOT_FOUND',
        404,
        req.version === undefined ? `Feature view '${viewName}' does not exist in this project.` : `Feature view '${viewName}' has no version ${req.version}.`,
      );
    }
    const entity = (await this.catalog.featureStore.findEntityById(view.entityId))!;
    const source = await this.datasets.resolveById(projectId, view.datasetId, req.datasetVersion);
    if (!source) {
      throw invalid('ATL_DATASET_NOT_FOUND', [
        { field: '/body/datasetVersion', message: `the view's dataset has no version ${req.datasetVersion ?? '(none uploaded)'}` },
      ]);
    }
    if (source.version !== view.datasetVersion) await this.checkColumns(view, entity, source);

    const state = await this.catalog.featureStore.getOnlineState(view.id);
    // Incremental only onto a live generation the store still holds (a Redis without persistence that
    // restarted has lost it: the run is then a full one).
    const incremental = req.mode === 'incremental' && state !== undefined && (await this.store.isLive({ projectId, viewVersionId: view.id }, state.generation));
    const mode: MaterializationMode = incremental ? 'incremental' : 'full';
    const startWatermark = mode === 'incremental' ? (state!.watermark ?? null) : null;
    const runKey = { featureViewVersionId: view.id, mode, datasetVersion: source.version, startWatermark, staleAfterMs: this.options.staleAfterMs };
    const resumable = await this.catalog.featureStore.findResumableRun(runKey);
    const run = resumable ? await this.catalog.featureStore.resumeRun(resumable.id) : await this.catalog.featureStore.startRun({ ...runKey, createdBy });

    try {
      await this.execute(projectId, view, entity, source.version, run, state?.generation);
    } catch (err) {
      await this.catalog.featureStore.failRun(run.id, (err as Error).message);
      throw err;
    }
    const done = (await this.catalog.featureStore.findRun(run.id))!;
    return { run: done, view, resumed: resumable !== undefined };
  }

  private async checkColumns(view: FeatureViewVersion, entity: Entity, source: Parameters<FeatureDatasets['localCopy']>[0]): Promise<void> {
    const columns = new Map((await datasetColumns(this.datasets, source, this.options.duckdb ?? {})).map((c) => [c.name, c]));
    const errors: FeatureFieldError[] = [];
    const need = [...entity.joinKeys, ...view.features];
    for (const c of need) {
      const col = columns.get(c.name);
      if (!col) errors.push({ field: '/body/datasetVersion', message: `column '${c.name}' is missing from dataset version ${source.version}` });
      else {
        const why = typeMismatch(c.type, typeFamily(col.type));
        if (why) errors.push({ field: '/body/datasetVersion', message: `column '${c.name}' ${why} in dataset version ${source.version}` });
      }
    }
    if (!columns.has(view.eventTimestampColumn)) {
      errors.push({ field: '/body/datasetVersion', message: `column '${view.eventTimestampColumn}' is missing from dataset version ${source.version}` });
    }
    if (errors.length) throw invalid('ATL_FEATURE_VIEW_INVALID', errors);
  }

  private async execute(
    projectId: string,
    view: FeatureViewVersion,
    entity: Entity,
    datasetVersion: number,
    run: MaterializationRun,
    liveGeneration: number | undefined,
  ): Promise<void> {
    const catalog = this.catalog;
    await withDuckDb({ memoryLimitMb: 512, threads: 2, ...this.options.duckdb }, async (db) => {
      const source = await viewSource(db, this.datasets, projectId, view, entity, { datasetVersion, field: '/body/datasetVersion' });
      const after = run.startWatermark ? `WHERE ${EVENT_TS} > make_timestamp(${run.startWatermark.getTime() * 1000})` : '';
      const window = `SELECT * FROM (${source.sql}) ${after}`;
      const [{ hi }] = await db.all<{ hi: bigint | null }>(`SELECT epoch_ms(max(${EVENT_TS})) AS hi FROM (${window})`);
      const runMax = hi === null ? null : new Date(Number(hi));
      const watermark = runMax && (!run.startWatermark || runMax > run.startWatermark) ? runMax : run.startWatermark;

      const keys = entity.joinKeys.map((k) => sqlIdentifier(k.name));
      const feats = view.features.map((f) =>
        f.type === 'timestamp' ? `epoch_ms(${sqlIdentifier(f.name)}) AS ${sqlIdentifier(f.name)}` : sqlIdentifier(f.name),
      );
      const query =
        `SELECT ${keys.join(', ')}, epoch_ms(${EVENT_TS}) AS __ts_ms, ${feats.join(', ')} FROM (${window}) ` +
        `QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${EVENT_TS} DESC) = 1 ` +
        `ORDER BY ${keys.join(', ')} OFFSET ${run.rowsWritten}`;

      const store = this.store;
      const target = { projectId, viewVersionId: view.id, generation: run.generation, ttlSeconds: view.ttlSeconds };
      let buffer: OnlineRow[] = [];
      const flush = async (rows: OnlineRow[]) => {
        await catalog.transaction(async (tx) => {
          await store.writeChunk(tx.db, target, rows);
          await tx.featureStore.recordChunk(run.id, rows.length);
        });
      };
      for await (const chunk of db.streamJson(query)) {
        for (const r of chunk) buffer.push(this.toOnlineRow(entity, view, r));
        while (buffer.length >= this.chunkSize) {
          const rows = buffer.slice(0, this.chunkSize);
          buffer = buffer.slice(this.chunkSize);
          await flush(rows);
        }
      }

      // The last chunk, and the switch readers see, in one transaction.
      await catalog.transaction(async (tx) => {
        await store.writeChunk(tx.db, target, buffer);
        await tx.featureStore.recordChunk(run.id, buffer.length);
        const merge = run.mode === 'incremental' && liveGeneration !== undefined ? { from: run.generation, into: liveGeneration } : null;
        const { rowCount } = await store.finish(tx.db, target, merge);
        const live = merge ? merge.into : run.generation;
        await tx.featureStore.completeRun({ id: run.id, featureViewVersionId: view.id }, { generation: live, watermark, rowCount });
        await store.activate(tx.db, target, live);
      });
      const state = await catalog.featureStore.getOnlineState(view.id);
      if (state) await store.dropOtherGenerations(target, state.generation).catch(() => {});
      // A full run (or an incremental one that changed a tenth of the rows) shifts the table's shape:
      // refresh the planner's statistics now rather than when autovacuum comes round.
      const written = (await catalog.featureStore.findRun(run.id))?.rowsWritten ?? 0;
      if (run.mode === 'full' || written * 10 >= (state?.rowCount ?? 0)) await store.afterLoad().catch(() => {});
    });
  }

  private toOnlineRow(entity: Entity, view: FeatureViewVersion, r: Record<string, unknown>): OnlineRow {
    const parts = entity.joinKeys.map((k) => {
      const part = keyPart(k, r[k.name]);
      if (typeof part !== 'string') throw new Error(`bad key value ${String(r[k.name])} for ${k.name}`);
      return part;
    });
    const values = view.features.map((f) => {
      const v = r[f.name];
      if (v === null || v === undefined) return null;
      switch (f.type) {
        case 'int':
        case 'float': {
          const n = Number(v);
          return Number.isFinite(n) ? n : null;
        }
        case 'timestamp':
          return new Date(Number(v)).toISOString();
        case 'bool':
          return Boolean(v);
        default:
          return String(v);
      }
    });
    return { key: encodeParts(parts), eventTs: new Date(Number(r.__ts_ms)), values };
  }
}
