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
  /** Public part of a generated key (`atl_<lookupId>`); `atl_` or '' where the whole key is secret. */
  prefix: string;
  /** sha256 of keys made before migration 0008 only (new keys: null). */
  key_hash: string | null;
  /** Finds the row: random for generated keys, derived from the key otherwise (see the gateway README). */
  lookup_id: string | null;
  /** `scrypt$logN$r$p$salt$hash` of the key (per-key salt); null for keys made before 0008. */
  secret_hash: string | null;
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
