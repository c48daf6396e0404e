// In-memory data → per-epoch batches. Shuffling is seeded by (seed, epoch), so any epoch's order
// can be reproduced — which is what makes resume-from-checkpoint continue identically.
// Resident: the columns are kept tensors on the active backend (uploaded once; zero-copy on CPU) and
// a batch is only its row indices, gathered inside the step — on a GPU no host copy per step.
import { dispose, keep } from '../engine.js';
import type { Batch, ResidentColumns } from '../models/model.js';
import { fromTyped } from '../tensor.js';
import { hashSeed, Random } from '../util/random.js';

export interface ArrayData {
  numRows: number;
  inputs: Record<string, Float32Array | Int32Array>;
  labels?: Float32Array | Int32Array;
  groups?: Int32Array;
}

export interface ArrayBatchOptions {
  batchSize: number;
  shuffle?: boolean;
  seed?: number;
  /** Drop the last incomplete batch (two-tower in-batch negatives like full batches). */
  dropRemainder?: boolean;
  /**
   * Keep the whole data set on the active backend and yield resident batches (same rows, same order
   * as the host path). Ignored for data with `groups` (ranking: its loss reads host labels and groups).
   */
  resident?: boolean;
}

/** Per-epoch batches, and the resident columns' owner. */
export type ArrayBatches = ((epoch: number) => Iterable<Batch>) & {
  /** Whether the batches are resident (false for host batches, and for ranking data). */
  readonly resident: boolean;
  /** Free the resident columns (nothing for host batches); the batches are unusable afterwards. */
  dispose(): void;
};

function take<T extends Float32Array | Int32Array>(src: T, idx: Int32Array, start: number, end: number, width: number): T {
  const out = new (src.constructor as { new (n: number): T })((end - start) * width);
  for (let r = start; r < end; r++) {
    const s = idx[r] * width, d = (r - start) * width;
    for (let j = 0; j < width; j++) out[d + j] = src[s + j];
  }
  return out;
}

function uploadColumns(data: ArrayData): ResidentColumns {
  const inputs: ResidentColumns['inputs'] = {};
  const cols: ResidentColumns = { inputs };
  try {
    for (const [k, v] of Object.entries(data.inputs)) inputs[k] = keep(fromTyped(v, [data.numRows, v.length / data.numRows]));
    if (data.labels) cols.labels = keep(fromTyped(data.labels, [data.numRows]));
  } catch (e) {
    dispose(cols);
    throw e;
  }
  return cols;
}

export function batchesFromArrays(data: ArrayData, opts: ArrayBatchOptions): ArrayBatches {
  const { numRows } = data;
  for (const [k, v] of Object.entries(data.inputs)) {
    if (v.length % numRows !== 0) throw new Error(`input '${k}' has ${v.length} values, not a multiple of ${numRows} rows`);
  }
  const resident = !!opts.resident && !data.groups && numRows > 0;
  if (resident && data.labels && data.labels.length !== numRows) throw new Error(`labels have ${data.labels.length} values for ${numRows} rows`);
  const columns = resident ? uploadColumns(data) : null;
  const epochs = function* (epoch: number): Generator<Batch> {
    const idx = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) idx[i] = i;
    if (opts.shuffle) new Random(hashSeed(opts.seed ?? 0, 'batches', epoch)).shuffle(idx);
    for (let start = 0; start < numRows; start += opts.batchSize) {
      const end = Math.min(numRows, start + opts.batchSize);
      if (opts.dropRemainder && end - start < opts.batchSize) break;
      if (columns) {
        yield { numRows: end - start, inputs: {}, resident: { columns, rows: idx.slice(start, end) } };
        continue;
      }
      const inputs: Batch['inputs'] = {};
      for (const [k, v] of Object.entries(data.inputs)) inputs[k] = take(v, idx, start, end, v.length / numRows);
      yield {
        numRows: end - start,
        inputs,
        labels: data.labels ? take(data.labels, idx, start, end, 1) : undefined,
        groups: data.groups ? take(data.groups, idx, start, end, 1) : undefined,
      };
    }
  };
  return Object.assign(epochs, {
    resident: columns !== null,
    dispose: () => dispose(columns),
  });
}
