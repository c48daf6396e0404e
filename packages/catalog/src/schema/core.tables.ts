import type { Json, JsonWithDefault, NullableTimestamp, Timestamp, BigSerial } from './columns.js';
import type { ColumnType } from 'kysely';

export type Role = 'admin' | 'editor' | 'viewer';

export interface ProjectsTable {
  id: string;
  name: string;
  display_name: string;
  description: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: Role;
  project_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: BigSerial;
  at: Timestamp;
  actor_key_id: string | null;
  project_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string;
  details: JsonWithDefault<Record<string, unknown>>;
}

export type { Json };
