import type { Json, Timestamp } from './columns.js';

export interface ServingNodesTable {
  node_id: string;
  pool: string;
  live_for_ms: number;
  started_at: Timestamp;
  seen_at: Timestamp;
}

export interface ServingRouteStatusTable {
  node_id: string;
  deployment_id: string;
  revision: number;
  state: 'progressing' | 'ready' | 'failed';
  versions: Json<number[]>;
  reason: string | null;
  updated_at: Timestamp;
}
