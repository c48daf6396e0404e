import type { ColumnType } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns.js';

export interface MonitoringReferencesTable {
  model_version_id: string;
  reference: Json<unknown>;
  created_at: Timestamp;
}

export interface MonitoringWindowsTable {
  deployment_id: string;
  model_version_id: string;
  window_start: Timestamp;
  window_ms: number;
  node_id: string;
  rows: number;
  counts: Json<unknown>;
  updated_at: Timestamp;
}

export interface MonitoringOutcomesTable {
  deployment_id: string;
  request_id: string;
  row_index: number;
  model_version_id: string;
  window_start: Timestamp;
  score: number;
  label: ColumnType<number | null, number | null | undefined, number | null>;
  labeled_at: NullableTimestamp;
}

export interface MonitoringThresholdsTable {
  deployment_id: string;
  thresholds: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type AlertState = 'active' | 'resolved';

export interface MonitoringAlertsTable {
  id: string;
  deployment_id: string;
  model_version_id: string;
  version: number;
  feature: string;
  check_name: string;
  state: AlertState;
  value: number;
  threshold: number;
  window_start: Timestamp;
  raised_at: Timestamp;
  resolved_at: NullableTimestamp;
}
