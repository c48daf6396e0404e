// Every repository, built over one Kysely handle: the process-wide instance or a transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { ProjectsRepository } from './projects.repository.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { DatasetsRepository } from './datasets.repository.js';
import { TrainingJobsRepository } from './training-jobs.repository.js';
import { ModelsRepository } from './models.repository.js';
import { EvaluationsRepository } from './evaluations.repository.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { FeatureStoreRepository } from './feature-store.repository.js';
import { ArtifactReferencesRepository } from './artifact-references.repository.js';
import { ServingStatusRepository } from './serving-status.repository.js';
import { MonitoringRepository } from './monitoring.repository.js';
import { TuningJobsRepository } from './tuning-jobs.repository.js';

export interface Repositories {
  projects: ProjectsRepository;
  apiKeys: ApiKeysRepository;
  audit: AuditLogRepository;
  datasets: DatasetsRepository;
  trainingJobs: TrainingJobsRepository;
  models: ModelsRepository;
  evaluations: EvaluationsRepository;
  deployments: DeploymentsRepository;
  featureStore: FeatureStoreRepository;
  artifactReferences: ArtifactReferencesRepository;
  servingStatus: ServingStatusRepository;
  monitoring: MonitoringRepository;
  tuningJobs: TuningJobsRepository;
}

export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    projects: new ProjectsRepository(db),
    apiKeys: new ApiKeysRepository(db),
    audit: new AuditLogRepository(db),
    datasets: new DatasetsRepository(db),
    trainingJobs: new TrainingJobsRepository(db),
    models: new ModelsRepository(db),
    evaluations: new EvaluationsRepository(db),
    deployments: new DeploymentsRepository(db),
    featureStore: new FeatureStoreRepository(db),
    artifactReferences: new ArtifactReferencesRepository(db),
    servingStatus: new ServingStatusRepository(db),
    monitoring: new MonitoringRepository(db),
    tuningJobs: new TuningJobsRepository(db),
  };
}
