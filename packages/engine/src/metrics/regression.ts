/** Regression metrics, accumulated in float64. */
import { checkSameLength, type Numbers } from './binary-counts.js';

export function mse(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'mse');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    s += d * d;
  }
  return yTrue.length > 0 ? s / yTrue.length : NaN;
}

export function rmse(yTrue: Numbers, yPred: Numbers): number {
  return Math.sqrt(mse(yTrue, yPred));
}

export function mae(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return yTrue.length > 0 ? s / yTrue.length : NaN;
}

/** Coefficient of determination. Constant yTrue: 1 for a perfect fit, else 0 (scikit-learn's force_finite). */
export function r2(yTrue: Numbers, yPred: Numbers): number {
  checkSameLength(yTrue, yPred, 'r2');
  const n = yTrue.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
