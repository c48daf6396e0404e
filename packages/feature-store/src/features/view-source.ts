// The rows of a feature view version as DuckDB sees them: join keys cast to the entity's types, the
// event timestamp as a UTC TIMESTAMP (`__event_ts`), and the features cast to their declared types.
import type { Entity, FeatureViewVersion, TypedColumn } from '@atelier/catalog';
import { sqlIdentifier, type DuckDbSession } from '../duckdb/duckdb-session.js';
import { readerSql, type FeatureDatasets, type ResolvedDatasetVersion } from './dataset-access.js';
import { DUCKDB_TYPE } from './feature-types.js';
import { resolveTimestampColumn } from './timestamps.js';

export const EVENT_TS = '__event_ts';

export interface ViewSource {
  /** SELECT text yielding keys, `__event_ts` and features (rows without a timestamp dropped). */
  sql: string;
  dataset: ResolvedDatasetVersion;
}

export function castColumn(column: TypedColumn): string {
  const col = sqlIdentifier(column.name);
  return `CAST(${col} AS ${DUCKDB_TYPE[column.type]}) AS ${col}`;
}

export async function viewSource(
  db: DuckDbSession,
  datasets: FeatureDatasets,
  projectId: string,
  view: FeatureViewVersion,
  entity: Entity,
  opts: { datasetVersion?: number; features?: TypedColumn[]; field?: string } = {},
): Promise<ViewSource> {
  const dataset = await datasets.resolveById(projectId, view.datasetId, opts.datasetVersion ?? view.datasetVersion);
  if (!dataset) throw new Error(`dataset version ${opts.datasetVersion ?? view.datasetVersion} of view ${view.name} is missing`);
  const path = await datasets.localCopy(dataset);
  const rel = readerSql(path, dataset.format, { schema: dataset.schema, varcharColumns: [view.eventTimestampColumn] });
  const ts = await resolveTimestampColumn(db, rel, view.eventTimestampColumn, opts.field ?? `feature view '${view.name}' eventTimestampColumn`);
  const columns = [...entity.joinKeys.map(castColumn), `${ts.expression} AS ${EVENT_TS}`, ...(opts.features ?? view.features).map(castColumn)];
  return { sql: `SELECT ${columns.join(', ')} FROM ${rel} WHERE ${ts.expression} IS NOT NULL`, dataset };
}
