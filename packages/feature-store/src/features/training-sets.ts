// Point-in-time correct training sets: for each row of a label dataset version (entity keys, an event
// time, labels…), the latest value of each feature at or before that time and within the view's TTL,
// across several views. DuckDB does it with one ASOF LEFT JOIN per view; the result is written to a
// file and published as a new dataset version whose lineage names the label version and view versions.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Catalog, Entity, FeatureViewVersion, TypedColumn } from '@atelier/catalog';
import { sqlIdentifier, sqlLiteral, withDuckDb, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { invalid, type FeatureFieldError } from './errors.js';
import { readerSql, type FeatureDatasets, type ResolvedDatasetVersion } from './dataset-access.js';
import { datasetColumns } from './feature-registry.js';
import { DUCKDB_TYPE, typeFamily, typeMismatch } from './feature-types.js';
import { resolveTimestampColumn } from './timestamps.js';
import { EVENT_TS, viewSource } from './view-source.js';

export interface TrainingSetRequest {
  labelDataset: { name: string; version?: number };
  /** The label dataset's event-time column. */
  eventTimestampColumn: string;
  /** When given, every view must be keyed by this entity. */
  entity?: string;
  featureViews: Array<{ name: string; version?: number; features?: string[] }>;
  output: { dataset: string; format?: 'parquet' | 'csv' };
  /** Name output columns `view__feature` instead of `feature`. */
  fullFeatureNames?: boolean;
}

export interface TrainingSetResult {
  dataset: ResolvedDatasetVersion;
  lineage: Record<string, unknown>;
}

interface PlannedView {
  view: FeatureViewVersion;
  entity: Entity;
  features: TypedColumn[];
}

export class TrainingSetBuilder {
  constructor(
    private readonly catalog: Catalog,
    private readonly datasets: FeatureDatasets,
    private readonly workDir: string,
    private readonly duckdb: DuckDbSessionOptions = { memoryLimitMb: 1024, threads: 2 },
  ) {}

  async build(projectId: string, req: TrainingSetRequest, createdBy?: string | null): Promise<TrainingSetResult> {
    const label = await this.datasets.resolve(projectId, req.labelDataset.name, req.labelDataset.version);
    if (!label) {
      const field = req.labelDataset.version === undefined ? '/body/labelDataset/name' : '/body/labelDataset/version';
      throw invalid('ATL_DATASET_NOT_FOUND', [
        { field, message: `dataset '${req.labelDataset.name}' has no ${req.labelDataset.version === undefined ? 'versions' : `version ${req.labelDataset.version}`}` },
      ]);
    }
    if (req.featureViews.length === 0) throw invalid('ATL_TRAINING_SET_INVALID', [{ field: '/body/featureViews', message: 'must name at least one feature view' }]);

    const errors: FeatureFieldError[] = [];
    const planned: PlannedView[] = [];
    for (const [i, ref] of req.featureViews.entries()) {
      const view = await this.catalog.featureStore.findViewVersion(projectId, ref.name, ref.version);
      if (!view) {
        errors.push({
          field: ref.version === undefined ? `/body/featureViews/${i}/name` : `/body/featureViews/${i}/version`,
          message: ref.version === undefined ? `feature view '${ref.name}' does not exist` : `feature view '${ref.name}' has no version ${ref.version}`,
        });
        continue;
      }
      const entity = (await this.catalog.featureStore.findEntityById(view.entityId))!;
      if (req.entity !== undefined && entity.name !== req.entity) {
        errors.push({ field: `/body/featureViews/${i}`, message: `view '${ref.name}' is keyed by entity '${entity.name}', not '${req.entity}'` });
      }
      const features: TypedColumn[] = [];
      for (const [j, f] of (ref.features ?? view.features.map((x) => x.name)).entries()) {
        const def = view.features.find((x) => x.name === f);
        if (!def) errors.push({ field: `/body/featureViews/${i}/features/${j}`, message: `'${f}' is not a feature of '${view.name}' version ${view.version}` });
        else features.push(def);
      }
      planned.push({ view, entity, features });
    }
    if (req.entity !== undefined && !(await this.catalog.featureStore.findEntity(projectId, req.entity))) {
      errors.push({ field: '/body/entity', message: `entity '${req.entity}' does not exist` });
    }
    if (errors.length) throw invalid('ATL_TRAINING_SET_INVALID', errors);

    // The label set must carry every join key and the event time; output names must not collide.
    const labelColumns = await datasetColumns(this.datasets, label, this.duckdb);
    const byName = new Map(labelColumns.map((c) => [c.name, c]));
    const where = `label dataset '${label.datasetName}' version ${label.version}`;
    if (!byName.has(req.eventTimestampColumn)) errors.push({ field: '/body/eventTimestampColumn', message: `'${req.eventTimestampColumn}' is not a column of ${where}` });
    const keyTypes = new Map<string, TypedColumn>();
    for (const [i, p] of planned.entries()) {
      for (const key of p.entity.joinKeys) {
        const col = byName.get(key.name);
        if (!col) errors.push({ field: `/body/featureViews/${i}`, message: `join key '${key.name}' (entity '${p.entity.name}') is not a column of ${where}` });
        else {
          const why = typeMismatch(key.type, typeFamily(col.type));
          if (why) errors.push({ field: `/body/featureViews/${i}`, message: `join key '${key.name}' ${why} in ${where}` });
        }
        keyTypes.set(key.name, key);
      }
    }
    const outputNames = new Map<string, string>(labelColumns.map((c) => [c.name, `label column '${c.name}'`]));
    for (const [i, p] of planned.entries()) {
      for (const f of p.features) {
        const out = req.fullFeatureNames ? `${p.view.name}__${f.name}` : f.name;
        const clash = outputNames.get(out);
        if (clash) {
          errors.push({
            field: `/body/featureViews/${i}/features`,
            message: `output column '${out}' collides with ${clash}; select other features or set fullFeatureNames`,
          });
        }
        outputNames.set(out, `feature '${f.name}' of view '${p.view.name}'`);
      }
    }
    if (errors.length) throw invalid('ATL_TRAINING_SET_INVALID', errors);

    const format = req.output.format ?? 'parquet';
    const runDir = join(this.workDir, `training-set-${randomUUID()}`);
    await mkdir(runDir, { recursive: true });
    const outPath = join(runDir, `training-set.${format}`);
    try {
      await withDuckDb({ ...this.duckdb, tempDirectory: join(runDir, 'spill') }, async (db) => {
        const labelPath = await this.datasets.localCopy(label);
        const rel = readerSql(labelPath, label.format, { schema: label.schema, varcharColumns: [req.eventTimestampColumn] });
        const ts = await resolveTimestampColumn(db, rel, req.eventTimestampColumn, '/body/eventTimestampColumn');
        const tsCol = sqlIdentifier(req.eventTimestampColumn);
        const replaced = [`${ts.expression} AS ${tsCol}`, ...[...keyTypes.values()].map((k) => `CAST(${sqlIdentifier(k.name)} AS ${DUCKDB_TYPE[k.type]}) AS ${sqlIdentifier(k.name)}`)];
        await db.exec(`CREATE TEMP TABLE __labels AS SELECT * REPLACE (${replaced.join(', ')}), row_number() OVER () AS __row FROM ${rel}`);

        const selects: string[] = ['l.* EXCLUDE (__row)'];
        const joins: string[] = [];
        for (const [i, p] of planned.entries()) {
          const source = await viewSource(db, this.datasets, projectId, p.view, p.entity, {
            features: p.features,
            field: `/body/featureViews/${i}`,
          });
          const alias = `f${i}`;
          await db.exec(`CREATE TEMP VIEW __fv${i} AS ${source.sql}`);
          const on = p.entity.joinKeys.map((k) => `l.${sqlIdentifier(k.name)} = ${alias}.${sqlIdentifier(k.name)}`);
          joins.push(`ASOF LEFT JOIN __fv${i} ${alias} ON ${on.join(' AND ')} AND l.${tsCol} >= ${alias}.${EVENT_TS}`);
          const fresh =
            p.view.ttlSeconds > 0
              ? `${alias}.${EVENT_TS} >= l.${tsCol} - to_seconds(${p.view.ttlSeconds})`
              : `${alias}.${EVENT_TS} IS NOT NULL`;
          for (const f of p.features) {
            const out = req.fullFeatureNames ? `${p.view.name}__${f.name}` : f.name;
            selects.push(`CASE WHEN ${fresh} THEN ${alias}.${sqlIdentifier(f.name)} END AS ${sqlIdentifier(out)}`);
          }
        }
        const query = `SELECT ${selects.join(', ')} FROM __labels l ${joins.join(' ')} ORDER BY l.__row`;
        const options = format === 'parquet' ? '(FORMAT PARQUET)' : '(FORMAT CSV, HEADER)';
        await db.exec(`COPY (${query}) TO ${sqlLiteral(outPath)} ${options}`);
      });

      const lineage = {
        kind: 'training-set',
        labelDataset: { name: label.datasetName, version: label.version, versionId: label.versionId },
        eventTimestampColumn: req.eventTimestampColumn,
        featureViews: planned.map((p) => ({
          name: p.view.name,
          version: p.view.version,
          id: p.view.id,
          dataset: { id: p.view.datasetId, version: p.view.datasetVersion },
          ttlSeconds: p.view.ttlSeconds,
          features: p.features.map((f) => f.name),
        })),
        fullFeatureNames: req.fullFeatureNames ?? false,
      };
      const dataset = await this.datasets.publish({ projectId, name: req.output.dataset, filePath: outPath, format, lineage, createdBy });
      return { dataset, lineage };
    } finally {
      await rm(runDir, { recursive: true, force: true });
    }
  }
}

