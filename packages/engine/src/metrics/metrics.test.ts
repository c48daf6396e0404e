import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calibrationBins } from './calibration.js';
import {
  accuracy,
  argmaxRows,
  averagePrecision,
  binaryPrecisionRecallF1,
  confusionMatrix,
  logLoss,
  macroPrecisionRecallF1,
  rocAuc,
  thresholdLabels,
} from './classification.js';
import { prCurve, rocCurve } from './curves.js';
import { listsToGroups, mapAtK, ndcgAtK, recallAtK } from './ranking.js';
import { mae, mse, r2, rmse } from './regression.js';
import { computeTaskMetrics } from './task-metrics.js';

// Produced by fixtures/make_fixtures.py (scikit-learn); see that script for how.
const ref = JSON.parse(readFileSync(new URL('./fixtures/sklearn-reference.json', import.meta.url), 'utf8'));
const TOL = 1e-6;

function closeArrays(got: ArrayLike<number>, want: number[], tol = TOL): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(tol);
}

describe('binary metrics vs scikit-learn', () => {
  const b = ref.binary;
  const y = Int32Array.from(b.y_true as number[]);
  const p = Float32Array.from(b.y_prob as number[]);
  const p64 = Float64Array.from(b.y_prob as number[]);

  it('ROC AUC and average precision, with tied scores', () => {
    expect(Math.abs(rocAuc(y, p64) - b.auc)).toBeLessThan(TOL);
    expect(Math.abs(averagePrecision(y, p64) - b.pr_auc)).toBeLessThan(TOL);
    // float32 scores keep the same ordering and ties
    expect(Math.abs(rocAuc(y, p) - b.auc)).toBeLessThan(TOL);
  });

  it('log loss, accuracy, precision, recall, F1, confusion matrix', () => {
    expect(Math.abs(logLoss(y, p64) - b.log_loss)).toBeLessThan(TOL);
    const hard = thresholdLabels(p64, 0.5);
    expect(Math.abs(accuracy(y, hard) - b.accuracy)).toBeLessThan(TOL);
    const prf = binaryPrecisionRecallF1(y, hard);
    expect(Math.abs(prf.precision - b.precision)).toBeLessThan(TOL);
    expect(Math.abs(prf.recall - b.recall)).toBeLessThan(TOL);
    expect(Math.abs(prf.f1 - b.f1)).toBeLessThan(TOL);
    expect(Array.from(confusionMatrix(y, hard, 2))).toEqual(b.confusion);
  });

  it('ROC and PR curve points', () => {
    const roc = rocCurve(y, p64);
    closeArrays(roc.fpr, b.roc_fpr);
    closeArrays(roc.tpr, b.roc_tpr);
    expect(roc.thresholds[0]).toBe(Infinity);
    closeArrays(roc.thresholds.subarray(1), b.roc_thresholds_tail);
    const pr = prCurve(y, p64);
    closeArrays(pr.precision, b.pr_precision);
    closeArrays(pr.recall, b.pr_recall);
    closeArrays(pr.thresholds.subarray(1), b.pr_thresholds);
  });

  it('downsampled curves keep the end points and stay within the limit', () => {
    const full = rocCurve(y, p64);
    const small = rocCurve(y, p64, 10);
    expect(full.fpr.length).toBeGreaterThan(10);
    expect(small.fpr.length).toBe(10);
    expect([small.fpr[0], small.tpr[0]]).toEqual([0, 0]);
    expect([small.fpr[9], small.tpr[9]]).toEqual([1, 1]);
    for (let i = 1; i < 10; i++) expect(small.fpr[i]).toBeGreaterThanOrEqual(small.fpr[i - 1]);
    expect(prCurve(y, p64, 5).recall.length).toBe(5);
  });

  it('calibration bins match calibration_curve on non-empty bins', () => {
    const c = calibrationBins(y, p64, 10);
    const nonEmpty = Array.from(c.counts.keys()).filter((i) => c.counts[i] > 0);
    closeArrays(nonEmpty.map((i) => c.fractionPositive[i]), b.calibration_prob_true);
    closeArrays(nonEmpty.map((i) => c.meanPredicted[i]), b.calibration_prob_pred);
    expect(c.counts.reduce((s, v) => s + v, 0)).toBe(y.length);
    // an edge value goes to the lower bin, as numpy.searchsorted(side='left')
    const e = calibrationBins([1, 0], [0.5, 0.30000000000000004], 10);
    expect(e.counts[4]).toBe(1);
    expect(e.counts[2]).toBe(1);
  });

  it('computeTaskMetrics(binary) reports the usual names', () => {
    const m = computeTaskMetrics('binary', y, p64);
    for (const k of ['auc', 'pr_auc', 'log_loss', 'accuracy', 'precision', 'recall', 'f1', 'brier']) {
      expect(Math.abs(m[k] - b[k]), k).toBeLessThan(TOL);
    }
    expect(m.count).toBe(y.length);
    expect(m.ece).toBeGreaterThanOrEqual(0);
  });
});

describe('hand-checked edge cases', () => {
  it('AUC is 1 for a perfect ranking, 0.5 when all scores tie, NaN with one class', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.1, 0.2])).toBeNaN();
    // 4 pos/neg pairs: .8>.5, .8>.3, .5>.3 win, the .5/.5 tie counts one half → 3.5 / 4
    expect(rocAuc([1, 0, 1, 0], [0.8, 0.5, 0.5, 0.3])).toBe(0.875);
  });

  it('log loss clips probabilities of 0 and 1 instead of returning Infinity', () => {
    expect(Number.isFinite(logLoss([1, 0], [0, 1]))).toBe(true);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-12);
  });

  it('regression metrics on a constant target follow scikit-learn (r2 1 if perfect else 0)', () => {
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 3])).toBe(0);
    expect(mae([1, 2, 3], [2, 2, 2])).toBeCloseTo(2 / 3, 12);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rocAuc([1, 0], [0.5])).toThrow(/2 entries/);
    expect(() => confusionMatrix([0, 5], [0, 1], 2)).toThrow(/outside \[0, 2\)/);
  });
});

describe('multiclass metrics vs scikit-learn', () => {
  const m = ref.multiclass;
  const y = Int32Array.from(m.y_true as number[]);
  const p = Float64Array.from(m.y_prob as number[]);
  const k = m.num_classes as number;

  it('accuracy, log loss, macro P/R/F1, confusion matrix', () => {
    const hard = argmaxRows(p, k);
    expect(Math.abs(accuracy(y, hard) - m.accuracy)).toBeLessThan(TOL);
    expect(Math.abs(logLoss(y, p, k) - m.log_loss)).toBeLessThan(TOL);
    const macro = macroPrecisionRecallF1(y, hard, k);
    expect(Math.abs(macro.precision - m.precision)).toBeLessThan(TOL);
    expect(Math.abs(macro.recall - m.recall)).toBeLessThan(TOL);
    expect(Math.abs(macro.f1 - m.f1)).toBeLessThan(TOL);
    expect(Array.from(confusionMatrix(y, hard, k))).toEqual(m.confusion);
    const t = computeTaskMetrics('multiclass', y, p, { numClasses: k });
    for (const name of ['accuracy', 'log_loss', 'precision', 'recall', 'f1']) expect(Math.abs(t[name] - m[name]), name).toBeLessThan(TOL);
    expect(() => computeTaskMetrics('multiclass', y, p.subarray(1), { numClasses: k })).toThrow(/numClasses/);
  });
});

describe('regression metrics vs scikit-learn', () => {
  const r = ref.regression;
  it('rmse, mse, mae, r2', () => {
    const yt = Float64Array.from(r.y_true as number[]);
    const yp = Float64Array.from(r.y_pred as number[]);
    expect(Math.abs(rmse(yt, yp) - r.rmse)).toBeLessThan(TOL);
    expect(Math.abs(mse(yt, yp) - r.mse)).toBeLessThan(TOL);
    expect(Math.abs(mae(yt, yp) - r.mae)).toBeLessThan(TOL);
    expect(Math.abs(r2(yt, yp) - r.r2)).toBeLessThan(TOL);
    const t = computeTaskMetrics('regression', yt, yp);
    for (const name of ['rmse', 'mse', 'mae', 'r2']) expect(Math.abs(t[name] - r[name]), name).toBeLessThan(TOL);
  });
});

describe('ranking metrics vs scikit-learn', () => {
  const r = ref.ranking;
  const q = r.num_queries as number;
  const d = r.docs_per_query as number;
  const rel = Float64Array.from(r.relevance as number[]);
  const tied = Float64Array.from(r.score_tied as number[]);
  const cont = Float64Array.from(r.score_cont as number[]);
  const groups = Int32Array.from({ length: q * d }, (_, i) => Math.floor(i / d));

  it('NDCG@k with tie averaging, MAP@k, recall@k', () => {
    for (const k of [3, 5, 10]) {
      expect(Math.abs(ndcgAtK(rel, tied, groups, k) - r[`ndcg@${k}_tied`]), `ndcg@${k} tied`).toBeLessThan(TOL);
      expect(Math.abs(ndcgAtK(rel, cont, groups, k) - r[`ndcg@${k}_cont`]), `ndcg@${k}`).toBeLessThan(TOL);
      expect(Math.abs(mapAtK(rel, cont, groups, k) - r[`map@${k}`]), `map@${k}`).toBeLessThan(TOL);
      expect(Math.abs(recallAtK(rel, cont, groups, k) - r[`recall@${k}`]), `recall@${k}`).toBeLessThan(TOL);
    }
    expect(Math.abs(ndcgAtK(rel, tied, groups) - r.ndcg_tied)).toBeLessThan(TOL);
    expect(Math.abs(mapAtK(rel, cont, groups) - r.map)).toBeLessThan(TOL);
  });

  it('does not depend on row order: shuffled rows with group ids give the same values', () => {
    const perm = Int32Array.from({ length: q * d }, (_, i) => (i * 37) % (q * d));
    const pr = Float64Array.from(perm, (i) => rel[i]);
    const ps = Float64Array.from(perm, (i) => tied[i]);
    const pg = Int32Array.from(perm, (i) => groups[i]);
    // ties are averaged in NDCG, so order inside a query does not matter
    expect(Math.abs(ndcgAtK(pr, ps, pg, 5) - r['ndcg@5_tied'])).toBeLessThan(TOL);
  });

  it('per-query arrays and computeTaskMetrics(ranking)', () => {
    const trueLists = Array.from({ length: q }, (_, i) => rel.subarray(i * d, (i + 1) * d));
    const scoreLists = Array.from({ length: q }, (_, i) => cont.subarray(i * d, (i + 1) * d));
    const flat = listsToGroups(trueLists, scoreLists);
    const t = computeTaskMetrics('ranking', flat.yTrue, flat.yScore, { groups: flat.groups, ks: [5, 10] });
    expect(Math.abs(t['ndcg@10'] - r['ndcg@10_cont'])).toBeLessThan(TOL);
    expect(Math.abs(t['map@5'] - r['map@5'])).toBeLessThan(TOL);
    expect(Math.abs(t['recall@10'] - r['recall@10'])).toBeLessThan(TOL);
    expect(t.queries).toBe(q);
    expect(() => computeTaskMetrics('ranking', rel, cont)).toThrow(/groups/);
  });
});
