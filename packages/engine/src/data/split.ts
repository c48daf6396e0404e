/**
 * Train / validation / test splits of in-memory columns: random (seeded) or by time (oldest rows to
 * train, newest to test, which is what a model deployed tomorrow will face).
 */
import { Random } from '../util/random.js';
import { batchFromColumns, gatherBatch, type Column, type ColumnBatch } from './column-batch.js';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export type SplitOptions =
  | { method: 'random'; fractions: SplitFractions; seed: number }
  | { method: 'time'; fractions: SplitFractions; timeColumn: string };

export interface Splits {
  train: ColumnBatch;
  validation: ColumnBatch;
  test: ColumnBatch;
}

function boundaries(n: number, f: SplitFractions): [number, number] {
  for (const k of ['train', 'validation', 'test'] as const) {
    if (!(f[k] >= 0)) throw new Error(`split: fraction ${k} must be >= 0, got ${f[k]}`);
  }
  const total = f.train + f.validation + f.test;
  if (Math.abs(total - 1) > 1e-9) throw new Error(`split: fractions must sum to 1, got ${total}`);
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
