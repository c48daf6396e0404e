/**
 * The shared core of ROC / PR metrics: sort once by score (descending) and accumulate true / false
 * positive counts at each distinct threshold, so tied scores move together (tie-aware, O(n log n)).
 */

export type Numbers = ArrayLike<number>;

export interface ThresholdCounts {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** Cumulative positives / negatives with score >= thresholds[i]. */
  tps: Float64Array;
  fps: Float64Array;
  positives: number;
  negatives: number;
}

export function checkSameLength(a: Numbers, b: Numbers, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: yTrue has ${a.length} entries, yPred has ${b.length}`);
}

/** Indices sorted by score descending (stable). */
export function argsortDesc(scores: Numbers): Int32Array {
  const n = scores.length;
  const s = Float64Array.from(scores);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => s[b] - s[a] || a - b);
  return idx;
}

/** Labels > 0 count as positive. */
export function thresholdCounts(yTrue: Numbers, yScore: Numbers): ThresholdCounts {
  checkSameLength(yTrue, yScore, 'binary metrics');
  const n = yTrue.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(yScore[i])) throw new Error(`binary metrics: score at row ${i} is NaN`);
  const order = argsortDesc(yScore);
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let tp = 0;
  let fp = 0;
  let m = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (yTrue[i] > 0) tp++;
    else fp++;
    // Close a threshold group only after the last row with this score.
    if (r === n - 1 || yScore[order[r + 1]] !== yScore[i]) {
      thresholds[m] = yScore[i];
      tps[m] = tp;
      fps[m] = fp;
      m++;
    }
  }
  return { thresholds: thresholds.slice(0, m), tps: tps.slice(0, m), fps: fps.slice(0, m), positives: tp, negatives: fp };
}
