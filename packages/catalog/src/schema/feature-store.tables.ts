import type { ColumnType } from 'kysely';
import type { Json, JsonWithDefault, NullableTimestamp, Timestamp } from './columns.js';

/** Value types a join key or a feature can have. */
export type FeatureValueType = 'int' | 'float' | 'string' | 'bool' | 'timestamp';

export interface TypedColumn {
  name: string;
  type: FeatureValueType;
}

export interface EntitiesTable {
  id: string;
  project_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  join_keys: Json<TypedColumn[]>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface FeatureViewsTable {
  id: string;
  project_id: string;
  name: string;
  created_at: Timestamp;
  created_by: string | null;
}

export interface FeatureViewVersionsTable {
  id: string;
  feature_view_id: string;
  version: number;
  entity_id: string;
  dataset_id: string;
  dataset_version: number;
  event_timestamp_column: string;
  features: Json<TypedColumn[]>;
  ttl_seconds: number;
  description: ColumnType<string, string | undefined, string>;
  spec_hash: string;
  statistics: JsonWithDefault<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
}

export type MaterializationMode = 'full' | 'incremental';
export type MaterializationStatus = 'running' | 'complete' | 'failed';

export interface MaterializationRunsTable {
  id: string;
  feature_view_version_id: string;
  mode: MaterializationMode;
  status: MaterializationStatus;
  dataset_version: number;
  generation: number;
  start_watermark: NullableTimestamp;
  end_watermark: NullableTimestamp;
  rows_written: ColumnType<number, number | undefined, number>;
  chunks_written: ColumnType<number, number | undefined, number>;
  error: string | null;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
  created_by: string | null;
}

export interface OnlineStoresTable {
  feature_view_version_id: string;
  generation: number;
  watermark: NullableTimestamp;
  run_id: string;
  row_count: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
}

export interface OnlineFeaturesTable {
  feature_view_version_id: string;
  generation: number;
  entity_key: string;
  /** Event time, epoch milliseconds. */
  event_ms: number;
  /** The feature values: a JSON array (as text) in the view version's feature order. */
  vals: string;
}
