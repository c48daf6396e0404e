// The statistics of model monitoring, pure and small: drift between two binned distributions (PSI,
// Jensen–Shannon distance) and online quality from labelled answers (accuracy, ROC AUC, log loss,
// RMSE, MAE). Reference values come from NumPy/SciPy (drift-math.fixture.py → fixtures/drift-math.json).

/** A share below this counts as this in PSI (an empty bin would make it infinite). */
export const PSI_EPSILON = 1e-4;

const total = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

/**
 * Population stability index Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bin shares, empty shares taken as 1e-4.
 * null when either side has no observations or the bins differ in number.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  const te = total(expected);
  const ta = total(actual);
  if (te <= 0 || ta <= 0 || expected.length !== actual.length) return null;
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i] / te, PSI_EPSILON);
    const a = Math.max(actual[i] / ta, PSI_EPSILON);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Jensen–Shannon distance (the square root of the divergence), base 2: 0 for the same shares, 1 for disjoint ones. */
export function jsDistance(expected: ArrayLike<number>, actual: ArrayLike<number>): number | null {
  const te = total(expected);
  const ta = total(actual);
  if (te <= 0 || ta <= 0 || expected.length !== actual.length) return null;
  let d = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = expected[i] / te;
    const q = actual[i] / ta;
    const m = (p + q) / 2;
    if (p > 0) d += p * Math.log2(p / m);
    if (q > 0) d += q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(0, d / 2));
}

/** ROC AUC as the Mann–Whitney statistic with average ranks for ties; null without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        rankSumPos += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (!positives || !negatives) return null;
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = probabilities.length;
  if (!n) return null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
    s -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / n;
}

/** Share of answers equal to the label: binary with `threshold` (p ≥ threshold → 1), else predicted class index = label. */
export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>, threshold: number | null = 0.5): number | null {
  const n = predictions.length;
  if (!n) return null;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const predicted = threshold === null ? predictions[i] : predictions[i] >= threshold ? 1 : 0;
    if (predicted === labels[i]) hits++;
  }
  return hits / n;
}

export function rmse(predictions: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = predictions.length;
  if (!n) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += (predictions[i] - labels[i]) ** 2;
  return Math.sqrt(s / n);
}

export function mae(predictions: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = predictions.length;
  if (!n) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(predictions[i] - labels[i]);
  return s / n;
}
