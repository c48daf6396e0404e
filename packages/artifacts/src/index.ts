export type {
  ArtifactBody,
  ArtifactByteRange,
  ArtifactListEntry,
  ArtifactStat,
  ArtifactStore,
  PutArtifactOptions,
  PutArtifactResult,
  SweepResult,
} from './artifact-store.js';
export {
  MAX_ARTIFACT_KEY_BYTES,
  MAX_ARTIFACT_KEY_SEGMENT_BYTES,
  artifactKeyProblem,
  artifactPrefixProblem,
  assertValidArtifactKey,
  assertValidArtifactPrefix,
  compareArtifactKeys,
} from './artifact-key.js';
export type { ArtifactStoreConfig, FilesystemArtifactStoreConfig, S3ArtifactStoreConfig } from './artifacts.config.js';
export { artifactConfigFromEnv } from './artifacts.config.js';
export { createArtifactStore } from './create-artifact-store.js';
export {
  ArtifactError,
  ArtifactKeyConflictError,
  ArtifactNotFoundError,
  ArtifactStoreClosedError,
  ArtifactStoreConfigError,
  ArtifactStoreError,
  InvalidArtifactKeyError,
  InvalidArtifactRangeError,
} from './errors.js';
export { FilesystemArtifactStore } from './filesystem-artifact-store.js';
export type { FilesystemArtifactStoreOptions } from './filesystem-artifact-store.js';
export { S3ArtifactStore, SHA256_METADATA_KEY, uniqueBucketName } from './s3-artifact-store.js';
export type { S3ArtifactStoreOptions } from './s3-artifact-store.js';
