export { createFeatureStore, type FeatureStore, type FeatureStoreConfig } from './feature-store.js';
export { FeatureRegistry, parseViewRef, type EntityInput, type FeatureViewInput, type FeatureViewRef } from './feature-registry.js';
export { TrainingSetBuilder, type TrainingSetRequest, type TrainingSetResult } from './training-sets.js';
export { Materializer, type MaterializeRequest, type MaterializerOptions, type MaterializationResult } from './materializer.js';
export {
  OnlineFeatureReader,
  type OnlineFeatureReaderOptions,
  type OnlineFeaturesRequest,
  type OnlineFeaturesResponse,
  type OnlineFeaturesCompactResponse,
  type OnlineResponseFormat,
  type OnlineFeaturesRow,
  type OnlineViewValues,
  type OnlineFeatureStatus,
} from './online-feature-reader.js';
export {
  PostgresOnlineStore,
  type OnlineStore,
  type OnlineRow,
  type StoredOnlineRow,
  type OnlineReadResult,
  type OnlineViewRef,
  type OnlineWriteTarget,
} from './online-store.js';
export { RedisOnlineStore, type RedisOnlineStoreOptions } from './redis-online-store.js';
export { onlineStoreConfigFromEnv, createOnlineStore, type OnlineStoreConfig } from './online-store.config.js';
export { ServiceFeatureDatasets, readerSql, type FeatureDatasets, type ResolvedDatasetVersion, type PublishDatasetVersion } from './dataset-access.js';
export { computeColumnStatistics, type ColumnStatistics } from './feature-statistics.js';
export { resolveTimestampColumn, type TimestampFormat } from './timestamps.js';
export { FEATURE_VALUE_TYPES, typeFamily } from './feature-types.js';
export { FeatureStoreError, type FeatureFieldError } from './errors.js';
export { TtlLruCache } from './lru-cache.js';
