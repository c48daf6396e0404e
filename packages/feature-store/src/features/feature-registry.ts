// Entities and feature views: the definitions. A view version is immutable and pinned to one dataset
// version; applying a changed definition makes the next version, applying an unchanged one is a no-op.
// Every definition is checked against the dataset version's columns before it is stored.
import { createHash } from 'node:crypto';
import type { Catalog, Entity, FeatureViewVersion, MaterializationRun, TypedColumn } from '@atelier/catalog';
import { withDuckDb, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { FeatureErrors, FeatureStoreError, invalid, type FeatureFieldError } from './errors.js';
import { readerSql, type FeatureDatasets, type ResolvedDatasetVersion } from './dataset-access.js';
import { FEATURE_VALUE_TYPES, schemaColumns, typeFamily, typeMismatch } from './feature-types.js';
import { resolveTimestampColumn } from './timestamps.js';
import { computeColumnStatistics } from './feature-statistics.js';

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export interface EntityInput {
  name: string;
  description?: string;
  joinKeys: TypedColumn[];
}

export interface FeatureViewInput {
  name: string;
  entity: string;
  /** The batch source: a dataset version; `version` omitted → the latest one now, pinned. */
  source: { dataset: string; version?: number };
  eventTimestampColumn: string;
  features: TypedColumn[];
  /** Values older than (event time − ttl) are treated as missing; 0 = they never expire. */
  ttlSeconds: number;
  description?: string;
}

export interface FeatureViewRef {
  name: string;
  version?: number;
}

/** `name` or `name@3`. */
export function parseViewRef(ref: string): FeatureViewRef | undefined {
  const m = /^([a-z][a-z0-9_-]{0,62})(?:@([1-9]\d{0,8}))?$/.exec(ref);
  if (!m) return undefined;
  return m[2] ? { name: m[1], version: Number(m[2]) } : { name: m[1] };
}

/** The columns of a dataset version: its stored schema, or (when that lists none) DuckDB's reading. */
export async function datasetColumns(
  datasets: FeatureDatasets,
  version: ResolvedDatasetVersion,
  duckdb: DuckDbSessionOptions,
): Promise<Array<{ name: string; type: string }>> {
  const stored = schemaColumns(version.schema);
  if (stored) return stored;
  const path = await datasets.localCopy(version);
  return withDuckDb(duckdb, (db) => db.describe(`SELECT * FROM ${readerSql(path, version.format, { schema: version.schema })}`));
}

export class FeatureRegistry {
  constructor(
    private readonly catalog: Catalog,
    private readonly datasets: FeatureDatasets,
    private readonly duckdb: DuckDbSessionOptions = { memoryLimitMb: 512, threads: 2 },
  ) {}

  /** Create an entity; re-creating an identical one returns it (`created: false`), a different one is a 409. */
  async createEntity(projectId: string, input: EntityInput, createdBy?: string | null): Promise<{ entity: Entity; created: boolean }> {
    const errors: FeatureFieldError[] = [];
    if (!NAME.test(input.name)) errors.push({ field: '/body/name', message: 'must be lowercase letters, digits, - and _, starting with a letter' });
    if (input.joinKeys.length === 0) errors.push({ field: '/body/joinKeys', message: 'must name at least one key column' });
    const seen = new Set<string>();
    input.joinKeys.forEach((k, i) => {
      if (!COLUMN.test(k.name)) errors.push({ field: `/body/joinKeys/${i}/name`, message: 'must be a column name (letters, digits, _)' });
      if (seen.has(k.name)) errors.push({ field: `/body/joinKeys/${i}/name`, message: `'${k.name}' is listed twice` });
      seen.add(k.name);
      if (!FEATURE_VALUE_TYPES.includes(k.type)) errors.push({ field: `/body/joinKeys/${i}/type`, message: `must be one of ${FEATURE_VALUE_TYPES.join(', ')}` });
      else if (k.type !== 'int' && k.type !== 'string') errors.push({ field: `/body/joinKeys/${i}/type`, message: 'a join key must be int or string' });
    });
    if (errors.length) throw invalid('ATL_ENTITY_INVALID', errors);
    const existing = await this.catalog.featureStore.findEntity(projectId, input.name);
    if (existing) {
      if (JSON.stringify(existing.joinKeys) === JSON.stringify(input.joinKeys) && existing.description === (input.description ?? '')) {
        return { entity: existing, created: false };
      }
      throw new FeatureStoreError(
        'ATL_ENTITY_CONFLICT',
        409,
        `Entity '${input.name}' already exists with other join keys; entities are immutable, create one with a new name.`,
        [{ field: '/body/name', message: `entity '${input.name}' already exists with another definition` }],
      );
    }
    const entity = await this.catalog.featureStore.createEntity({ projectId, ...input, createdBy });
    return { entity, created: true };
  }

  async getEntity(projectId: string, name: string): Promise<Entity> {
    const entity = await this.catalog.featureStore.findEntity(projectId, name);
    if (!entity) throw new FeatureStoreError('ATL_ENTITY_NOT_FOUND', 404, `Entity '${name}' does not exist in this project.`);
    return entity;
  }

  listEntities(projectId: string, opts?: { limit?: number; after?: string }): Promise<Entity[]> {
    return this.catalog.featureStore.listEntities(projectId, opts);
  }

  /**
   * Apply a feature view definition: validates it against the entity and the dataset version (every
   * column present, types compatible, timestamps in one format), computes per-feature statistics and
   * stores a new version — or returns the latest version unchanged when the definition is the same.
   */
  async applyFeatureView(
    projectId: string,
    input: FeatureViewInput,
    createdBy?: string | null,
  ): Promise<{ version: FeatureViewVersion; entity: Entity; created: boolean }> {
    const shape: FeatureFieldError[] = [];
    if (!NAME.test(input.name)) shape.push({ field: '/body/name', message: 'must be lowercase letters, digits, - and _, starting with a letter' });
    if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 0) shape.push({ field: '/body/ttlSeconds', message: 'must be an integer >= 0' });
    if (input.features.length === 0) shape.push({ field: '/body/features', message: 'must list at least one feature' });
    const names = new Set<string>();
    input.features.forEach((f, i) => {
      if (!COLUMN.test(f.name)) shape.push({ field: `/body/features/${i}/name`, message: 'must be a column name (letters, digits, _)' });
      if (names.has(f.name)) shape.push({ field: `/body/features/${i}/name`, message: `'${f.name}' is listed twice` });
      names.add(f.name);
      if (!FEATURE_VALUE_TYPES.includes(f.type)) shape.push({ field: `/body/features/${i}/type`, message: `must be one of ${FEATURE_VALUE_TYPES.join(', ')}` });
    });
    if (shape.length) throw invalid('ATL_FEATURE_VIEW_INVALID', shape);

    const entity = await this.catalog.featureStore.findEntity(projectId, input.entity);
    if (!entity) throw FeatureErrors.entityNotFound('/body/entity', input.entity);
    const source = await this.datasets.resolve(projectId, input.source.dataset, input.source.version);
    if (!source) {
      throw FeatureErrors.datasetNotFound(input.source.version === undefined ? '/body/source/dataset' : '/body/source/version', input.source.dataset, input.source.version);
    }

    const spec = {
      entityId: entity.id,
      datasetId: source.datasetId,
      datasetVersion: source.version,
      eventTimestampColumn: input.eventTimestampColumn,
      features: input.features.map((f) => ({ name: f.name, type: f.type })),
      ttlSeconds: input.ttlSeconds,
      description: input.description ?? '',
    };
    const specHash = createHash('sha256').update(JSON.stringify(spec)).digest('hex');
    const latest = await this.catalog.featureStore.findViewVersion(projectId, input.name);
    if (latest?.specHash === specHash) return { version: latest, entity, created: false };

    // Columns: every key, the timestamp and every feature must exist with a compatible type.
    const columns = await datasetColumns(this.datasets, source, this.duckdb);
    const byName = new Map(columns.map((c) => [c.name, c]));
    const errors: FeatureFieldError[] = [];
    const where = `dataset '${source.datasetName}' version ${source.version}`;
    for (const key of entity.joinKeys) {
      const col = byName.get(key.name);
      if (!col) errors.push({ field: '/body/entity', message: `join key '${key.name}' of entity '${entity.name}' is not a column of ${where}` });
      else {
        const why = typeMismatch(key.type, typeFamily(col.type));
        if (why) errors.push({ field: '/body/entity', message: `join key '${key.name}' ${why} (${col.type})` });
      }
      if (names.has(key.name)) errors.push({ field: '/body/features', message: `'${key.name}' is a join key, not a feature` });
    }
    const tsCol = byName.get(input.eventTimestampColumn);
    if (!tsCol) errors.push({ field: '/body/eventTimestampColumn', message: `'${input.eventTimestampColumn}' is not a column of ${where}` });
    else if (['float', 'bool'].includes(typeFamily(tsCol.type))) {
      errors.push({ field: '/body/eventTimestampColumn', message: `'${input.eventTimestampColumn}' is ${tsCol.type}, not a timestamp` });
    }
    if (names.has(input.eventTimestampColumn)) errors.push({ field: '/body/features', message: `'${input.eventTimestampColumn}' is the event timestamp column, not a feature` });
    input.features.forEach((f, i) => {
      const col = byName.get(f.name);
      if (!col) errors.push({ field: `/body/features/${i}/name`, message: `'${f.name}' is not a column of ${where}` });
      else {
        const why = typeMismatch(f.type, typeFamily(col.type));
        if (why) errors.push({ field: `/body/features/${i}/type`, message: `'${f.name}' ${why} (${col.type})` });
      }
    });
    if (errors.length) throw invalid('ATL_FEATURE_VIEW_INVALID', errors);

    // Timestamps in one format, and the statistics of every feature (the drift baseline).
    const path = await this.datasets.localCopy(source);
    const statistics = await withDuckDb(this.duckdb, async (db) => {
      const rel = readerSql(path, source.format, { schema: source.schema, varcharColumns: [input.eventTimestampColumn] });
      const ts = await resolveTimestampColumn(db, rel, input.eventTimestampColumn, '/body/eventTimestampColumn');
      const features = await computeColumnStatistics(db, rel, input.features.map((f) => ({ name: f.name, type: f.type })));
      const [range] = await db.all<{ lo: string | null; hi: string | null }>(
        `SELECT CAST(min(${ts.expression}) AS VARCHAR) AS lo, CAST(max(${ts.expression}) AS VARCHAR) AS hi FROM ${rel}`,
      );
      return { timestampFormat: ts.format, eventTimeMin: range.lo, eventTimeMax: range.hi, rowCount: source.rowCount, features };
    });

    const { version, created } = await this.catalog.featureStore.createFeatureViewVersion({
      projectId,
      name: input.name,
      ...spec,
      specHash,
      statistics,
      createdBy,
    });
    return { version, entity, created };
  }

  /** A view version by name (latest when `version` is omitted), with its entity. */
  async getViewVersion(projectId: string, name: string, version?: number): Promise<{ version: FeatureViewVersion; entity: Entity }> {
    const found = await this.catalog.featureStore.findViewVersion(projectId, name, version);
    if (!found) {
      throw new FeatureStoreError(
        version === undefined ? 'ATL_FEATURE_VIEW_NOT_FOUND' : 'ATL_FEATURE_VIEW_VERSION_NOT_FOUND',
        404,
        version === undefined ? `Feature view '${name}' does not exist in this project.` : `Feature view '${name}' has no version ${version}.`,
      );
    }
    const entity = await this.catalog.featureStore.findEntityById(found.entityId);
    if (!entity) throw new Error(`entity ${found.entityId} of view ${name} vanished`);
    return { version: found, entity };
  }

  listViewVersions(projectId: string, name: string): Promise<FeatureViewVersion[]> {
    return this.catalog.featureStore.listViewVersions(projectId, name);
  }

  /** Materialization runs of a view version, newest first. */
  listRuns(viewVersionId: string): Promise<MaterializationRun[]> {
    return this.catalog.featureStore.listRuns(viewVersionId);
  }

  listFeatureViews(projectId: string, opts?: { limit?: number; after?: string }): Promise<FeatureViewVersion[]> {
    return this.catalog.featureStore.listLatestViewVersions(projectId, opts);
  }
}
