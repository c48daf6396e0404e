// The whole catalog schema as Kysely sees it. Migrations (../../../migrations) are the only place the
// schema changes; these types follow them.
import type { ApiKeysTable, AuditLogTable, ProjectsTable } from './schema/core.tables.js';
import type { DatasetsTable, DatasetVersionsTable } from './schema/datasets.tables.js';
import type { JobEventsTable, TrainingJobsTable, TuningEventsTable, TuningJobsTable, WorkersTable } from './schema/training.tables.js';
import type { EvaluationsTable, ModelAliasesTable, ModelsTable, ModelVersionsTable } from './schema/registry.tables.js';
import type { DeploymentRevisionsTable, DeploymentsTable } from './schema/deployments.tables.js';
import type { ServingNodesTable, ServingRouteStatusTable } from './schema/serving.tables.js';
import type { MonitoringAlertsTable, MonitoringOutcomesTable, MonitoringReferencesTable, MonitoringThresholdsTable, MonitoringWindowsTable } from './schema/monitoring.tables.js';
import type { EntitiesTable, FeatureViewsTable, FeatureViewVersionsTable, MaterializationRunsTable, OnlineFeaturesTable, OnlineStoresTable } from './schema/feature-store.tables.js';

export interface Database {
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  training_jobs: TrainingJobsTable;
  job_events: JobEventsTable;
  workers: WorkersTable;
  tuning_jobs: TuningJobsTable;
  tuning_events: TuningEventsTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  evaluations: EvaluationsTable;
  deployments: DeploymentsTable;
  deployment_revisions: DeploymentRevisionsTable;
  entities: EntitiesTable;
  feature_views: FeatureViewsTable;
  feature_view_versions: FeatureViewVersionsTable;
  materialization_runs: MaterializationRunsTable;
  online_stores: OnlineStoresTable;
  online_features: OnlineFeaturesTable;
  serving_nodes: ServingNodesTable;
  serving_route_status: ServingRouteStatusTable;
  monitoring_references: MonitoringReferencesTable;
  monitoring_windows: MonitoringWindowsTable;
  monitoring_outcomes: MonitoringOutcomesTable;
  monitoring_thresholds: MonitoringThresholdsTable;
  monitoring_alerts: MonitoringAlertsTable;
}
