/** Reliability diagram data: per probability bin, mean predicted vs observed positive rate. */
import { checkSameLength, type Numbers } from './binary-counts.js';

export interface CalibrationBins {
  /** nBins + 1 edges over [0, 1]. */
  edges: Float64Array;
  /** NaN for empty bins. */
  meanPredicted: Float64Array;
  fractionPositive: Float64Array;
  counts: Int32Array;
  /** Expected calibration error: Σ count/n · |meanPredicted − fractionPositive|. */
  ece: number;
}

/**
 * Uniform bins as scikit-learn's calibration_curve: edge i is i · (1 / nBins), and a probability equal
 * to an inner edge falls in the lower bin.
 */
export function calibrationBins(yTrue: Numbers, yProb: Numbers, nBins = 10): CalibrationBins {
  checkSameLength(yTrue, yProb, 'calibrationBins');
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error('calibrationBins: nBins must be a positive integer');
  const step = 1 / nBins;
  const edges = new Float64Array(nBins + 1);
  for (let i = 0; i <= nBins; i++) edges[i] = i * step;
  edges[nBins] = 1;
  const sumP = new Float64Array(nBins);
  const sumY = new Float64Array(nBins);
  const counts = new Int32Array(nBins);
  for (let i = 0; i < yTrue.length; i++) {
    const p = yProb[i];
    if (!(p >= 0 && p <= 1)) throw new Error(`calibrationBins: probability ${p} at row ${i} is outside [0, 1]`);
    // number of inner edges strictly below p (searchsorted, side='left')
    let b = Math.min(nBins - 1, Math.floor(p * nBins));
    while (b > 0 && edges[b] >= p) b--;
    while (b < nBins - 1 && edges[b + 1] < p) b++;
    sumP[b] += p;
    sumY[b] += yTrue[i] > 0 ? 1 : 0;
    counts[b]++;
  }
  const meanPredicted = new Float64Array(nBins);
  const fractionPositive = new Float64Array(nBins);
  let ece = 0;
  for (let b = 0; b < nBins; b++) {
    meanPredicted[b] = counts[b] > 0 ? sumP[b] / counts[b] : NaN;
    fractionPositive[b] = counts[b] > 0 ? sumY[b] / counts[b] : NaN;
    if (counts[b] > 0) ece += (counts[b] / yTrue.length) * Math.abs(meanPredicted[b] - fractionPositive[b]);
  }
  return { edges, meanPredicted, fractionPositive, counts, ece };
}
