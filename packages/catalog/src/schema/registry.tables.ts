import type { ColumnType } from 'kysely';
import type { Json, JsonWithDefault, Timestamp } from './columns.js';

export type ModelFormat = 'atelier' | 'onnx';
export type EvaluationVerdict = 'blessed' | 'rejected' | 'no_baseline';
export type EvaluationStatus = 'running' | 'completed' | 'failed';

export interface ModelsTable {
  id: string;
  project_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  task: string | null;
  /** The highest version number ever given out (versions are never renumbered or reused). */
  last_version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface ModelVersionsTable {
  id: string;
  model_id: string;
  version: number;
  format: ModelFormat;
  bundle_key: string;
  bundle_sha256: string;
  bundle_size: number;
  signature: Json<unknown>;
  metrics: JsonWithDefault<Record<string, number>>;
  lineage: JsonWithDefault<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface ModelAliasesTable {
  model_id: string;
  alias: string;
  version_id: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface EvaluationsTable {
  id: string;
  model_version_id: string;
  dataset_version_id: string | null;
  split: string;
  status: ColumnType<EvaluationStatus, EvaluationStatus | undefined, EvaluationStatus>;
  metrics: JsonWithDefault<Record<string, number>>;
  slices: JsonWithDefault<unknown>;
  curves: JsonWithDefault<unknown>;
  feature_importance: JsonWithDefault<unknown>;
  baseline_version_id: string | null;
  comparison: JsonWithDefault<unknown>;
  gate: JsonWithDefault<unknown>;
  verdict: ColumnType<EvaluationVerdict, EvaluationVerdict | undefined, EvaluationVerdict>;
  error: string | null;
  created_at: Timestamp;
}
