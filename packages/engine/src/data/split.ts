/**
 * Train / validation / test splits of in-memory columns: random (seeded), by a stable hash of each
 * row's id (the same row lands in the same split whether the data is in memory or streamed chunk by
 * chunk), or by time (oldest rows to train, newest to test, which is what a model deployed tomorrow
 * will face).
 */
import { Random, hashSeed } from '../util/random.js';
import { batchFromColumns, gatherBatch, type Column, type ColumnBatch } from './column-batch.js';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export type SplitOptions =
  | { method: 'random'; fractions: SplitFractions; seed: number }
  | { method: 'time'; fractions: SplitFractions; timeColumn: string }
  /** Row r goes where hashSplitOf(seed, rowIds[r]) says (rowIds default: the row's position). */
  | { method: 'hash'; fractions: SplitFractions; seed: number; rowIds?: Int32Array | Float64Array };

/** Which split a row belongs to under a hash split. */
export const SPLIT_TRAIN = 0;
export const SPLIT_VALIDATION = 1;
export const SPLIT_TEST = 2;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A row's split from a stable hash of (seed, rowId): 0 train, 1 validation, 2 test. Depends on nothing
 * but its arguments, so a streamed pass over chunks and an in-memory split agree row for row. rowId is
 * a non-negative integer below 2^53 (a row's position in an immutable dataset version).
 */
export function hashSplitOf(seedHash: number, rowId: number, trainCut: number, validationCut: number): number {
  const lo = rowId >>> 0;
  const hi = Math.floor(rowId / 4294967296) >>> 0;
  const u = mix32(mix32(lo ^ seedHash) ^ Math.imul(hi + 1, 0x9e3779b9)) / 4294967296;
  return u < trainCut ? SPLIT_TRAIN : u < validationCut ? SPLIT_VALIDATION : SPLIT_TEST;
}

/** The arguments of hashSplitOf for a seed and fractions (computed once per split, not per row). */
export function hashSplitParams(seed: number, f: SplitFractions): { seedHash: number; trainCut: number; validationCut: number } {
  checkFractions(f);
  return { seedHash: hashSeed('split', seed), trainCut: f.train, validationCut: f.train + f.validation };
}

function checkFractions(f: SplitFractions): void {
  for (const k of ['train', 'validation', 'test'] as const) {
    if (!(f[k] >= 0)) throw new Error(`split: fraction ${k} must be >= 0, got ${f[k]}`);
  }
  const total = f.train + f.validation + f.test;
  if (Math.abs(total - 1) > 1e-9) throw new Error(`split: fractions must sum to 1, got ${total}`);
}

export interface Splits {
  train: ColumnBatch;
  validation: ColumnBatch;
  test: ColumnBatch;
}

function boundaries(n: number, f: SplitFractions): [number, number] {
  checkFractions(f);
  const a = Math.round(n * f.train);
  const b = Math.min(n, Math.round(n * (f.train + f.validation)));
  return [a, b];
}

function timeValue(col: Column, i: number, name: string): number {
  const v = col[i];
  const t = typeof v === 'string' ? Date.parse(v) : v;
  if (!Number.isFinite(t)) throw new Error(`split: time column "${name}" row ${i} is not a valid timestamp: ${String(v)}`);
  return t;
}

export function splitColumns(columns: Record<string, Column>, opts: SplitOptions): Splits {
  const all = batchFromColumns(columns);
  const n = all.numRows;
  if (opts.method === 'hash') {
    const { seedHash, trainCut, validationCut } = hashSplitParams(opts.seed, opts.fractions);
    const ids = opts.rowIds;
    if (ids && ids.length !== n) throw new Error(`split: rowIds has ${ids.length} entries for ${n} rows`);
    const parts = [new Int32Array(n), new Int32Array(n), new Int32Array(n)];
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const s = hashSplitOf(seedHash, ids ? ids[i] : i, trainCut, validationCut);
      parts[s][counts[s]++] = i;
    }
    return {
      train: gatherBatch(all, parts[0], counts[0]),
      validation: gatherBatch(all, parts[1], counts[1]),
      test: gatherBatch(all, parts[2], counts[2]),
    };
  }
  const [a, b] = boundaries(n, opts.fractions);
  let order: Int32Array;
  if (opts.method === 'random') {
    order = new Random(opts.seed).permutation(n);
    // Keep source order inside each split (locality, stable diffs); membership is what is random.
    order.subarray(0, a).sort();
    order.subarray(a, b).sort();
    order.subarray(b).sort();
  } else {
    const col = columns[opts.timeColumn];
    if (!col) throw new Error(`split: time column "${opts.timeColumn}" not found`);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = timeValue(col, i, opts.timeColumn);
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Ties keep source order, so the split is deterministic.
    order.sort((x, y) => t[x] - t[y] || x - y);
  }
  return {
    train: gatherBatch(all, order.subarray(0, a)),
    validation: gatherBatch(all, order.subarray(a, b)),
    test: gatherBatch(all, order.subarray(b)),
  };
}
