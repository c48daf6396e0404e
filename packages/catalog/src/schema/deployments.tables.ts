import type { Json, Timestamp } from './columns.js';

export interface DeploymentsTable {
  id: string;
  project_id: string;
  name: string;
  model_id: string;
  current_revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DeploymentRevisionsTable {
  id: string;
  deployment_id: string;
  revision: number;
  spec: Json<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
}
