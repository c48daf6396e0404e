// Messages between the job runner (main thread) and the worker thread that does the compute.
import type { JobPlacement } from '@atelier/contracts';
import type { ColumnRead, StoredColumn } from '@atelier/feature-store';
import type { EvaluationOutput } from './evaluation-core.js';
import type { StreamOptions } from './training-stream.js';
import type { EpochReport, TrainingOutcome, TrainingTable } from './training-core.js';

/** Where the job runner placed a training run: the job's device and, for a GPU, the device index it holds. */
export interface ThreadDevice {
  /** The job's resolved device: 'gpu' must train on a GPU (or fail), 'auto' may fall back to CPU. */
  requested: 'cpu' | 'gpu' | 'auto';
  /** The CUDA device index this job holds from the worker's GPUs (absent: none was free or the worker has none). */
  gpuIndex?: number;
  worker: string;
}

export type ThreadInput =
  | {
      mode: 'train';
      spec: Record<string, unknown>;
      device: ThreadDevice;
      table: TrainingTable;
      /** Encoded checkpoint to resume from. */
      checkpoint?: Uint8Array;
      checkpointIntervalMs?: number;
    }
  | {
      /** Streamed training: the thread reads the version's cached Parquet copy itself, once per epoch. */
      mode: 'train-stream';
      spec: Record<string, unknown>;
      device: ThreadDevice;
      parquetPath: string;
      schema: StoredColumn[];
      wanted: Record<string, ColumnRead>;
      stream: StreamOptions & { chunkRows?: number };
      checkpoint?: Uint8Array;
      /** Also checkpoint inside an epoch at most this often (ms), recording the stream position. */
      checkpointIntervalMs?: number;
    }
  | {
      mode: 'evaluate';
      table: TrainingTable;
      /** The candidate first, then (optionally) the baseline; importance only where asked. */
      bundles: Array<{ bytes: Uint8Array; importance: boolean }>;
      rows?: Int32Array;
      sliceColumn?: string;
      labelColumn?: string;
      seed: number;
    };

export type ThreadMessage =
  | { type: 'log'; message: string }
  | { type: 'epoch'; report: EpochReport }
  /** Once the backend is chosen (before the first epoch), and again with the final GPU figures before 'done'. */
  | { type: 'placement'; placement: JobPlacement }
  | { type: 'checkpoint'; epoch: number; bytes: Uint8Array }
  | { type: 'done'; outcome: Omit<TrainingOutcome, 'bundle'>; bundle?: Uint8Array }
  | { type: 'evaluated'; outputs: EvaluationOutput[] }
  | { type: 'error'; name: string; message: string };
