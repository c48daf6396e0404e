import type { ColumnType } from 'kysely';
import type { Json, JsonWithDefault, Timestamp } from './columns.js';

export type DatasetFormat = 'csv' | 'jsonl' | 'parquet';

export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface DatasetVersionsTable {
  id: string;
  dataset_id: string;
  version: number;
  format: DatasetFormat;
  artifact_key: string;
  sha256: string;
  size_bytes: number;
  row_count: number;
  schema: Json<unknown>;
  profile: JsonWithDefault<unknown>;
  lineage: JsonWithDefault<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
}
