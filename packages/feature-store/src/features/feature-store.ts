// The feature store's package API in one object: definitions (registry), offline training sets,
// materialization and online reads. The gateway, the orchestrator and serving build it from the
// process's catalog and a FeatureDatasets adapter.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '@atelier/catalog';
import type { ArtifactStore } from '@atelier/artifacts';
import type { DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import { ServiceFeatureDatasets, type FeatureDatasets } from './dataset-access.js';
import type { DatasetsService } from '../datasets/datasets.service.js';
import { FeatureRegistry } from './feature-registry.js';
import { TrainingSetBuilder } from './training-sets.js';
import { Materializer, type MaterializerOptions } from './materializer.js';
import { OnlineFeatureReader, type OnlineFeatureReaderOptions } from './online-feature-reader.js';
import { PostgresOnlineStore, type OnlineStore } from './online-store.js';

export interface FeatureStoreConfig {
  /** Scratch space: training-set files before upload, DuckDB spill. */
  workDir?: string;
  duckdb?: DuckDbSessionOptions;
  materializer?: Omit<MaterializerOptions, 'duckdb' | 'store'>;
  online?: Omit<OnlineFeatureReaderOptions, 'store'>;
  /** The online store materialization writes and reads use (default: Postgres, in the catalog's database). */
  onlineStore?: OnlineStore;
}

export interface FeatureStore {
  registry: FeatureRegistry;
  trainingSets: TrainingSetBuilder;
  materializer: Materializer;
  online: OnlineFeatureReader;
  onlineStore: OnlineStore;
  datasets: FeatureDatasets;
}

export function createFeatureStore(
  deps: { catalog: Catalog; artifacts: ArtifactStore; datasetsService: DatasetsService; datasets?: FeatureDatasets },
  config: FeatureStoreConfig = {},
): FeatureStore {
  const workDir = config.workDir ?? join(tmpdir(), 'atelier-feature-store');
  const duckdb = { memoryLimitMb: 1024, threads: 2, tempDirectory: join(workDir, 'duckdb-spill'), ...config.duckdb };
  const datasets = deps.datasets ?? new ServiceFeatureDatasets(deps.catalog, deps.artifacts, deps.datasetsService);
  const onlineStore = config.onlineStore ?? new PostgresOnlineStore(deps.catalog);
  return {
    datasets,
    onlineStore,
    registry: new FeatureRegistry(deps.catalog, datasets, duckdb),
    trainingSets: new TrainingSetBuilder(deps.catalog, datasets, join(workDir, 'training-sets'), duckdb),
    materializer: new Materializer(deps.catalog, datasets, { ...config.materializer, duckdb, store: onlineStore }),
    online: new OnlineFeatureReader(deps.catalog, { ...config.online, store: onlineStore }),
  };
}
