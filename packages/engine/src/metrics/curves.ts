/** ROC and precision-recall curve points for plotting, downsampled to at most maxPoints. */
import { thresholdCounts, type Numbers } from './binary-counts.js';

export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** Descending; the first point (0, 0) has threshold +Infinity. */
  thresholds: Float64Array;
}

export interface PrCurve {
  /** Ascending; the first point is (recall 0, precision 1) at threshold +Infinity. */
  recall: Float64Array;
  precision: Float64Array;
  thresholds: Float64Array;
}

/** Evenly spaced indices over [0, m) keeping the first and the last point. */
export function downsampleIndices(m: number, maxPoints: number): Int32Array {
  if (m <= maxPoints) return Int32Array.from({ length: m }, (_, i) => i);
  if (maxPoints < 2) throw new Error('curves: maxPoints must be >= 2');
  const out = new Int32Array(maxPoints);
  for (let i = 0; i < maxPoints; i++) out[i] = Math.round((i * (m - 1)) / (maxPoints - 1));
  return out;
}

function pick(a: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

export function rocCurve(yTrue: Numbers, yScore: Numbers, maxPoints = Infinity): RocCurve {
  const c = thresholdCounts(yTrue, yScore);
  const m = c.tps.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  for (let i = 0; i < c.tps.length; i++) {
    fpr[i + 1] = c.negatives > 0 ? c.fps[i] / c.negatives : NaN;
    tpr[i + 1] = c.positives > 0 ? c.tps[i] / c.positives : NaN;
    thresholds[i + 1] = c.thresholds[i];
  }
  const idx = downsampleIndices(m, maxPoints);
  return { fpr: pick(fpr, idx), tpr: pick(tpr, idx), thresholds: pick(thresholds, idx) };
}

export function prCurve(yTrue: Numbers, yScore: Numbers, maxPoints = Infinity): PrCurve {
  const c = thresholdCounts(yTrue, yScore);
  const m = c.tps.length + 1;
  const recall = new Float64Array(m);
  const precision = new Float64Array(m);
  const thresholds = new Float64Array(m);
  precision[0] = 1;
  thresholds[0] = Infinity;
  for (let i = 0; i < c.tps.length; i++) {
    recall[i + 1] = c.positives > 0 ? c.tps[i] / c.positives : 1;
    precision[i + 1] = c.tps[i] / (c.tps[i] + c.fps[i]);
    thresholds[i + 1] = c.thresholds[i];
  }
  const idx = downsampleIndices(m, maxPoints);
  return { recall: pick(recall, idx), precision: pick(precision, idx), thresholds: pick(thresholds, idx) };
}
