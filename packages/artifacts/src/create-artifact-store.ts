import type { ArtifactStore } from './artifact-store.js';
import type { ArtifactStoreConfig } from './artifacts.config.js';
import { ArtifactStoreConfigError } from './errors.js';
import { FilesystemArtifactStore } from './filesystem-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

export function createArtifactStore(config: ArtifactStoreConfig): ArtifactStore {
  switch (config.kind) {
    case 'filesystem':
      return new FilesystemArtifactStore({ rootDir: config.rootDir });
    case 's3':
      return new S3ArtifactStore({
        endpoint: config.endpoint,
        bucket: config.bucket,
        accessKey: config.accessKey,
        secretKey: config.secretKey,
        region: config.region,
        ...(config.pathStyle === undefined ? {} : { pathStyle: config.pathStyle }),
        ...(config.partSizeBytes === undefined ? {} : { partSizeBytes: config.partSizeBytes }),
        ...(config.listPageSize === undefined ? {} : { listPageSize: config.listPageSize }),
      });
    default:
      throw new ArtifactStoreConfigError(`unknown artifact store kind ${JSON.stringify((config as { kind: unknown }).kind)}; use 'filesystem' or 's3'`);
  }
}
