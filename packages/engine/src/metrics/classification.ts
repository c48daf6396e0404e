/** Binary and multiclass classification metrics over typed arrays. Labels: 0/1 or class ids. */
import { checkSameLength, thresholdCounts, type Numbers } from './binary-counts.js';

/** ROC AUC by trapezoids over distinct thresholds (ties count one half). NaN when one class is absent. */
export function rocAuc(yTrue: Numbers, yScore: Numbers): number {
  const c = thresholdCounts(yTrue, yScore);
  if (c.positives === 0 || c.negatives === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < c.tps.length; i++) {
    area += (c.fps[i] - prevFp) * (c.tps[i] + prevTp);
    prevTp = c.tps[i];
    prevFp = c.fps[i];
  }
  return area / (2 * c.positives * c.negatives);
}

/** Average precision (PR AUC, step-wise, as scikit-learn): Σ (R_i − R_{i−1}) · P_i. NaN without positives. */
export function averagePrecision(yTrue: Numbers, yScore: Numbers): number {
  const c = thresholdCounts(yTrue, yScore);
  if (c.positives === 0) return NaN;
  let ap = 0;
  let prevTp = 0;
  for (let i = 0; i < c.tps.length; i++) {
    ap += ((c.tps[i] - prevTp) / c.positives) * (c.tps[i] / (c.tps[i] + c.fps[i]));
    prevTp = c.tps[i];
  }
  return ap;
}

/**
 * Log loss. Binary: yProb is P(class 1) per row. Multiclass (numClasses > 2): yProb is n × numClasses
 * row-major. Probabilities are clipped to [eps, 1 − eps] and rows renormalized, as scikit-learn does.
 */
export function logLoss(yTrue: Numbers, yProb: Numbers, numClasses = 2, eps = Number.EPSILON): number {
  const n = yTrue.length;
  if (n === 0) return NaN;
  let total = 0;
  if (numClasses === 2 && yProb.length === n) {
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - eps, Math.max(eps, yProb[i]));
      total -= Math.log(yTrue[i] > 0 ? p : 1 - p);
    }
    return total / n;
  }
  if (yProb.length !== n * numClasses) throw new Error(`logLoss: expected ${n}×${numClasses} probabilities, got ${yProb.length}`);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    let sum = 0;
    for (let k = 0; k < numClasses; k++) sum += Math.min(1 - eps, Math.max(eps, yProb[base + k]));
    const y = yTrue[i];
    if (!(Number.isInteger(y) && y >= 0 && y < numClasses)) throw new Error(`logLoss: label ${y} at row ${i} is not in [0, ${numClasses})`);
    total -= Math.log(Math.min(1 - eps, Math.max(eps, yProb[base + y])) / sum);
  }
  return total / n;
}

/** Hard labels from binary probabilities: 1 when p >= threshold. */
export function thresholdLabels(yProb: Numbers, threshold = 0.5): Int32Array {
  const out = new Int32Array(yProb.length);
  for (let i = 0; i < yProb.length; i++) out[i] = yProb[i] >= threshold ? 1 : 0;
  return out;
}

/** Row-wise argmax of an n × numClasses matrix (first maximum wins, as numpy). */
export function argmaxRows(yProb: Numbers, numClasses: number): Int32Array {
  const n = Math.floor(yProb.length / numClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * numClasses;
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (yProb[base + k] > yProb[base + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Fraction of equal labels. */
export function accuracy(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'accuracy');
  if (yTrue.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** k × k counts, row = true class, column = predicted class (scikit-learn's layout). */
export function confusionMatrix(yTrue: Numbers, yPred: Numbers, numClasses: number): Int32Array {
  checkSameLength(yTrue, yPred, 'confusionMatrix');
  const m = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(Number.isInteger(t) && t >= 0 && t < numClasses) || !(Number.isInteger(p) && p >= 0 && p < numClasses)) {
      throw new Error(`confusionMatrix: row ${i} has labels (${t}, ${p}) outside [0, ${numClasses})`);
    }
    m[t * numClasses + p]++;
  }
  return m;
}

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

function prf(tp: number, fp: number, fn: number): PrecisionRecallF1 {
  // Undefined ratios count as 0 (scikit-learn's zero_division default).
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Binary precision / recall / F1 of hard predictions (labels > 0 are positive). */
export function binaryPrecisionRecallF1(yTrue: Numbers, yPred: Numbers): PrecisionRecallF1 {
  checkSameLength(yTrue, yPred, 'precision/recall');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] > 0;
    const p = yPred[i] > 0;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return prf(tp, fp, fn);
}

/**
 * Macro-averaged precision / recall / F1 over the classes that occur in yTrue or yPred (the classes
 * scikit-learn averages over when labels are not given).
 */
export function macroPrecisionRecallF1(yTrue: Numbers, yPred: Numbers, numClasses: number): PrecisionRecallF1 {
  const cm = confusionMatrix(yTrue, yPred, numClasses);
  let p = 0;
  let r = 0;
  let f = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    let rowSum = 0;
    let colSum = 0;
    for (let k = 0; k < numClasses; k++) {
      rowSum += cm[c * numClasses + k];
      colSum += cm[k * numClasses + c];
    }
    if (rowSum === 0 && colSum === 0) continue;
    const tp = cm[c * numClasses + c];
    const s = prf(tp, colSum - tp, rowSum - tp);
    p += s.precision;
    r += s.recall;
    f += s.f1;
    present++;
  }
  if (present === 0) return { precision: NaN, recall: NaN, f1: NaN };
  return { precision: p / present, recall: r / present, f1: f / present };
}
