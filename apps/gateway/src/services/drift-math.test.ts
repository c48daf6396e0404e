import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy, jsDistance, logLoss, mae, psi, rmse, rocAuc } from './drift-math.js';

// Made by drift-math.fixture.py (NumPy / SciPy).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/drift-math.json', import.meta.url), 'utf8')) as {
  drift: Array<{ expected: number[]; actual: number[]; psi: number; js: number }>;
  binary: { scores: number[]; labels: number[]; auc: number; logLoss: number; accuracy: number };
  regression: { predictions: number[]; labels: number[]; rmse: number; mae: number };
};

describe('drift between binned distributions', () => {
  it('PSI and JS distance match NumPy / SciPy on every fixture case', () => {
    for (const c of fixture.drift) {
      expect(psi(c.expected, c.actual)).toBeCloseTo(c.psi, 10);
      expect(jsDistance(c.expected, c.actual)).toBeCloseTo(c.js, 10);
    }
  });

  it('by hand: a mirror image of four bins has PSI 0.6·ln 4 + 0.2·ln 1.5', () => {
    expect(psi([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(0.6 * Math.log(4) + 0.2 * Math.log(1.5), 12);
    expect(jsDistance([1, 0], [0, 1])).toBe(1);
    expect(psi([3, 3], [30, 30])).toBe(0);
  });

  it('is null, not NaN, when a side is empty or the bins disagree', () => {
    expect(psi([0, 0], [1, 2])).toBeNull();
    expect(jsDistance([1, 2], [0, 0])).toBeNull();
    expect(psi([1, 2, 3], [1, 2])).toBeNull();
  });
});

describe('online quality from labels', () => {
  it('AUC (with ties), log loss and accuracy match NumPy / SciPy', () => {
    const b = fixture.binary;
    expect(rocAuc(b.scores, b.labels)).toBeCloseTo(b.auc, 12);
    expect(logLoss(b.scores, b.labels)).toBeCloseTo(b.logLoss, 10);
    expect(accuracy(b.scores, b.labels)).toBeCloseTo(b.accuracy, 12);
  });

  it('AUC by hand: perfect, reversed, all tied, one class only', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.1, 0.7], [1, 1])).toBeNull();
  });

  it('RMSE and MAE match NumPy; multiclass accuracy compares class indexes', () => {
    const r = fixture.regression;
    expect(rmse(r.predictions, r.labels)).toBeCloseTo(r.rmse, 12);
    expect(mae(r.predictions, r.labels)).toBeCloseTo(r.mae, 12);
    expect(accuracy([0, 2, 1], [0, 1, 1], null)).toBeCloseTo(2 / 3, 12);
    expect(rmse([], [])).toBeNull();
  });
});
