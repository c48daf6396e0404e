// Where bytes live in the artifact store: the builders every writer uses, and the parsers the
// gateway's artifact collector (and the datasets' server-side import) read keys back with.
// Content-addressed keys store identical bytes once.
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SHA256 = '[0-9a-f]{64}';

export const DATASET_FILE_EXTENSIONS = { csv: 'csv', jsonl: 'jsonl', parquet: 'parquet' } as const;
export type DatasetFileFormat = keyof typeof DATASET_FILE_EXTENSIONS;

/** A model bundle's format as the registry stores it: the engine's own, or ONNX. */
export type BundleFormat = 'atelier' | 'onnx';

const DATASET_KEY = new RegExp(`^datasets/(${UUID})/sha256/(${SHA256})\\.(?:csv|jsonl|parquet)$`);
const BUNDLE_KEY = new RegExp(`^models/(${UUID})/(${UUID})/sha256/(${SHA256})\\.(?:atlbndl|onnx)$`);
const CHECKPOINT_KEY = new RegExp(`^training-jobs/(${UUID})/checkpoints/[^/]+$`);

export const artifactKeys = {
  /** A dataset version's bytes: per dataset, by content hash. */
  dataset: (datasetId: string, sha256: string, format: DatasetFileFormat) => `datasets/${datasetId}/sha256/${sha256}.${DATASET_FILE_EXTENSIONS[format]}`,
  datasetPrefix: 'datasets/',
  /** A model bundle: per model, by content hash (training and upload write the same layout). */
  bundle: (projectId: string, modelId: string, sha256: string, format: BundleFormat | string = 'atelier') =>
    `models/${projectId}/${modelId}/sha256/${sha256}.${format === 'onnx' ? 'onnx' : 'atlbndl'}`,
  bundlePrefix: 'models/',
  /** An upload in progress (model versions), until it is registered or expires. */
  upload: (projectId: string, modelId: string, uploadId: string) => `uploads/models/${projectId}/${modelId}/${uploadId}`,
  uploadsPrefix: 'uploads/models/',
  /** Every checkpoint of a training job lives under this prefix. */
  checkpointPrefix: (jobId: string) => `training-jobs/${jobId}/checkpoints/`,
  checkpoint: (jobId: string, epoch: number) => `training-jobs/${jobId}/checkpoints/epoch-${String(epoch).padStart(5, '0')}.ckpt`,
  trainingJobsPrefix: 'training-jobs/',
} as const;

/** The parts of a key, or null when it is not of that layout. */
export const parseArtifactKey = {
  dataset: (key: string): { datasetId: string; sha256: string } | null => {
    const m = DATASET_KEY.exec(key);
    return m ? { datasetId: m[1], sha256: m[2] } : null;
  },
  bundle: (key: string): { projectId: string; modelId: string; sha256: string } | null => {
    const m = BUNDLE_KEY.exec(key);
    return m ? { projectId: m[1], modelId: m[2], sha256: m[3] } : null;
  },
  checkpoint: (key: string): { jobId: string } | null => {
    const m = CHECKPOINT_KEY.exec(key);
    return m ? { jobId: m[1] } : null;
  },
} as const;
