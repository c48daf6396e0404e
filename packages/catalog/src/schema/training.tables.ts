import type { ColumnType } from 'kysely';
import type { Device, JobEventType, JobStatus } from '@atelier/contracts';
import type { BigSerial, Json, JsonWithDefault, NullableTimestamp, Timestamp } from './columns.js';

// Job statuses, devices and event types are the contracts' (the gateway and the orchestrator share them).
export type { JobEventType, JobStatus };
export type JobDevice = Device;

export interface TrainingJobsTable {
  id: string;
  project_id: string;
  model_name: string;
  spec: Json<Record<string, unknown>>;
  status: JobStatus;
  device: JobDevice;
  priority: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  waiting_reason: string | null;
  error: string | null;
  cancel_requested_at: NullableTimestamp;
  checkpoint_key: string | null;
  checkpoint_epoch: number | null;
  metrics: JsonWithDefault<Record<string, unknown>>;
  model_version_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
  /** Trials only (migration 0011): the study, the trial's index in it, its point of the search space. */
  tuning_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  trial_index: ColumnType<number | null, number | null | undefined, number | null>;
  trial_params: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The highest ASHA rung the trial passed (−1: none yet). */
  trial_rung: ColumnType<number, number | undefined, number>;
  /** Why ASHA stopped the trial (set before its cancel is requested). */
  trial_stop: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface JobEventsTable {
  id: BigSerial;
  job_id: string;
  at: Timestamp;
  type: JobEventType;
  payload: Json<Record<string, unknown>>;
}

export interface WorkersTable {
  id: string;
  hostname: string;
  capabilities: Json<{ cores: number; gpus: number; [k: string]: unknown }>;
  started_at: Timestamp;
  last_heartbeat_at: Timestamp;
}

export interface TuningJobsTable {
  id: string;
  project_id: string;
  model_name: string;
  spec: Json<Record<string, unknown>>;
  status: JobStatus;
  attempts: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_expires_at: NullableTimestamp;
  error: string | null;
  cancel_requested_at: NullableTimestamp;
  best_trial_index: number | null;
  best_objective: number | null;
  model_version_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface TuningEventsTable {
  id: BigSerial;
  tuning_job_id: string;
  at: Timestamp;
  type: string;
  payload: Json<Record<string, unknown>>;
}
