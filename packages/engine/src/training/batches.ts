// In-memory data → per-epoch batches. Shuffling is seeded by (seed, epoch), so any epoch's order
// can be reproduced — which is what makes resume-from-checkpoint continue identically.
import type { Batch } from '../models/model.js';
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
}

function take<T extends Float32Array | Int32Array>(src: T, idx: Int32Array, start: number, end: number, width: number): T {
  const out = new (src.constructor as { new (n: number): T })((end - start) * width);
  for (let r = start; r < end; r++) {
    const s = idx[r] * width, d = (r - start) * width;
    for (let j = 0; j < width; j++) out[d + j] = src[s + j];
  }
  return out;
}

export function batchesFromArrays(data: ArrayData, opts: ArrayBatchOptions): (epoch: number) => Iterable<Batch> {
  const { numRows } = data;
  for (const [k, v] of Object.entries(data.inputs)) {
    if (v.length % numRows !== 0) throw new Error(`input '${k}' has ${v.length} values, not a multiple of ${numRows} rows`);
  }
  return function* (epoch: number) {
    const idx = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) idx[i] = i;
    if (opts.shuffle) new Random(hashSeed(opts.seed ?? 0, 'batches', epoch)).shuffle(idx);
    for (let start = 0; start < numRows; start += opts.batchSize) {
      const end = Math.min(numRows, start + opts.batchSize);
      if (opts.dropRemainder && end - start < opts.batchSize) break;
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
}
