import { describe, expect, it } from 'vitest';
import { computeTaskMetrics, rocCurve } from '../metrics/index.js';
import { Random } from '../util/random.js';
import type { Column } from '../data/column-batch.js';
import { evaluateModel, type PredictFn } from './evaluate-model.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** n rows: `signal` drives the label, noise1/noise2 do not; `segment` is a categorical slice column. */
function binaryData(n: number, seed: number) {
  const rng = new Random(seed);
  const signal = new Float32Array(n);
  const noise1 = new Float32Array(n);
  const noise2 = new Float32Array(n);
  const segment: string[] = [];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    signal[i] = rng.normal();
    noise1[i] = rng.normal();
    noise2[i] = rng.normal();
    segment.push(i % 3 === 0 ? 'web' : 'app');
    labels[i] = rng.next() < sigmoid(2.5 * signal[i]) ? 1 : 0;
  }
  return { columns: { signal, noise1, noise2, segment } as Record<string, Column>, labels };
}

/** A "model" that mostly uses signal and leans a little on noise1 (so both get measured). */
const binaryPredict: PredictFn = (cols, n) => {
  const s = cols.signal as Float32Array;
  const a = cols.noise1 as Float32Array;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sigmoid(2.5 * s[i] + 0.05 * a[i]);
  return out;
};

describe('evaluateModel (binary)', () => {
  const n = 3000;
  const { columns, labels } = binaryData(n, 7);
  const result = evaluateModel({
    predict: binaryPredict,
    columns,
    numRows: n,
    labels,
    task: 'binary',
    sliceColumn: 'segment',
    featureColumns: ['noise1', 'signal', 'noise2'],
    seed: 42,
  });

  it('reports the same metrics as computeTaskMetrics', () => {
    const expected = computeTaskMetrics('binary', labels, binaryPredict(columns, n));
    expect(Object.keys(result.metrics).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect(result.metrics[k]).toBeCloseTo(v, 12);
    expect(result.metrics.auc).toBeGreaterThan(0.8);
  });

  it('computes each slice on its own rows', () => {
    expect(result.slices?.column).toBe('segment');
    const values = result.slices!.values;
    expect(values.map((v) => v.value)).toEqual(['app', 'web']);
    expect(values[0].count + values[1].count).toBe(n);
    const webRows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0);
    const p = binaryPredict(columns, n);
    const expected = computeTaskMetrics(
      'binary',
      Int32Array.from(webRows, (i) => labels[i]),
      Float32Array.from(webRows, (i) => p[i]),
    );
    expect(values[1].count).toBe(webRows.length);
    expect(values[1].metrics.auc).toBeCloseTo(expected.auc, 12);
    expect(values[1].metrics.log_loss).toBeCloseTo(expected.log_loss, 12);
  });

  it('returns JSON-ready ROC, PR and calibration curves', () => {
    const roc = rocCurve(labels, binaryPredict(columns, n), 200);
    expect(result.curves.roc!.fpr).toEqual(Array.from(roc.fpr));
    expect(result.curves.roc!.thresholds[0]).toBeNull();
    expect(result.curves.roc!.fpr.length).toBeLessThanOrEqual(200);
    expect(result.curves.pr!.recall.at(-1)).toBe(1);
    expect(result.curves.calibration!.counts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(result.curves.calibration!.ece).toBeCloseTo(result.metrics.ece, 12);
    expect(() => JSON.stringify(result)).not.toThrow();
  });

  it('ranks the planted informative feature above the noise features', () => {
    expect(result.primaryMetric).toEqual({ name: 'auc', direction: 'higher_is_better' });
    const [first, ...rest] = result.featureImportance;
    expect(first.feature).toBe('signal');
    expect(first.importance).toBeGreaterThan(0.2);
    for (const r of rest) expect(first.importance).toBeGreaterThan(r.importance + 10 * (first.std + r.std));
    // noise2 is not used by the model at all: shuffling it changes nothing.
    const noise2 = result.featureImportance.find((f) => f.feature === 'noise2')!;
    expect(noise2.importance).toBe(0);
    expect(noise2.std).toBe(0);
  });

  it('is deterministic for a seed and varies with it', () => {
    const again = evaluateModel({ predict: binaryPredict, columns, numRows: n, labels, task: 'binary', featureColumns: ['noise1', 'signal'], seed: 42 });
    const same = evaluateModel({ predict: binaryPredict, columns, numRows: n, labels, task: 'binary', featureColumns: ['noise1', 'signal'], seed: 42 });
    const other = evaluateModel({ predict: binaryPredict, columns, numRows: n, labels, task: 'binary', featureColumns: ['noise1', 'signal'], seed: 43 });
    expect(same.featureImportance).toEqual(again.featureImportance);
    expect(other.featureImportance.find((f) => f.feature === 'signal')!.importance).not.toBe(
      again.featureImportance.find((f) => f.feature === 'signal')!.importance,
    );
  });

  it('samples at most maxImportanceRows rows for importance', () => {
    let largest = 0;
    const counting: PredictFn = (cols, rows) => {
      largest = Math.max(largest, rows);
      return binaryPredict(cols, rows);
    };
    const r = evaluateModel({ predict: counting, columns, numRows: n, labels, task: 'binary', featureColumns: ['signal'], seed: 1, maxImportanceRows: 500, permutationRepeats: 2 });
    expect(r.importanceRows).toBe(500);
    expect(largest).toBe(n); // the full-set metrics pass
    expect(r.featureImportance[0].importance).toBeGreaterThan(0.1);
  });

  it('accepts two-column (p0, p1) binary outputs', () => {
    const twoCol: PredictFn = (cols, rows) => {
      const p = binaryPredict(cols, rows);
      const out = new Float32Array(rows * 2);
      for (let i = 0; i < rows; i++) {
        out[2 * i] = 1 - p[i];
        out[2 * i + 1] = p[i];
      }
      return out;
    };
    const r = evaluateModel({ predict: twoCol, columns, numRows: n, labels, task: 'binary', featureColumns: [], seed: 1 });
    expect(r.metrics.auc).toBeCloseTo(result.metrics.auc, 6);
  });

  it('names what is wrong with its input', () => {
    const base = { predict: binaryPredict, columns, numRows: n, labels, task: 'binary' as const, seed: 1 };
    expect(() => evaluateModel({ ...base, featureColumns: ['nope'] })).toThrow(/feature column "nope"/);
    expect(() => evaluateModel({ ...base, featureColumns: [], sliceColumn: 'nope' })).toThrow(/slice column "nope"/);
    expect(() => evaluateModel({ ...base, featureColumns: [], predict: () => new Float32Array(n * 3) })).toThrow(/1 or 2 scores per row/);
    expect(() => evaluateModel({ ...base, featureColumns: [], labels: new Int32Array(3) })).toThrow(/labels has 3 entries/);
  });
});

describe('evaluateModel (regression, multiclass, ranking)', () => {
  it('regression: metrics as computeTaskMetrics, importance by rmse increase, numeric slices in quantile buckets', () => {
    const n = 2000;
    const rng = new Random(3);
    const x = new Float64Array(n);
    const z = new Float64Array(n);
    const labels = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.normal();
      z[i] = rng.normal();
      labels[i] = 3 * x[i] + 0.1 * rng.normal();
    }
    const predict: PredictFn = (cols, rows) => Float32Array.from({ length: rows }, (_, i) => 3 * (cols.x as Float64Array)[i] + 0.01 * (cols.z as Float64Array)[i]);
    const r = evaluateModel({ predict, columns: { x, z }, numRows: n, labels, task: 'regression', featureColumns: ['z', 'x'], sliceColumn: 'z', seed: 9 });
    const expected = computeTaskMetrics('regression', labels, predict({ x, z }, n));
    for (const [k, v] of Object.entries(expected)) expect(r.metrics[k]).toBeCloseTo(v, 10);
    expect(r.primaryMetric.name).toBe('rmse');
    expect(r.featureImportance.map((f) => f.feature)).toEqual(['x', 'z']);
    expect(r.featureImportance[0].importance).toBeGreaterThan(3);
    expect(r.slices!.kind).toBe('quantiles');
    expect(r.slices!.values).toHaveLength(10);
    expect(r.slices!.values.reduce((s, v) => s + v.count, 0)).toBe(n);
    expect(r.curves).toEqual({});
  });

  it('multiclass: log_loss is the primary metric and the informative feature wins', () => {
    const n = 1500;
    const rng = new Random(5);
    const cls = new Int32Array(n);
    const feature = new Float32Array(n);
    const noise = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      cls[i] = rng.nextInt(3);
      feature[i] = cls[i] + 0.3 * rng.normal();
      noise[i] = rng.normal();
    }
    const predict: PredictFn = (cols, rows) => {
      const f = cols.feature as Float32Array;
      const out = new Float32Array(rows * 3);
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += (out[i * 3 + k] = Math.exp(-((f[i] - k) ** 2) / 0.18));
        for (let k = 0; k < 3; k++) out[i * 3 + k] = Math.max(1e-6, out[i * 3 + k] / sum);
      }
      return out;
    };
    const r = evaluateModel({ predict, columns: { feature, noise }, numRows: n, labels: cls, task: 'multiclass', numClasses: 3, featureColumns: ['noise', 'feature'], seed: 1 });
    const expected = computeTaskMetrics('multiclass', cls, predict({ feature, noise }, n), { numClasses: 3 });
    for (const [k, v] of Object.entries(expected)) expect(r.metrics[k]).toBeCloseTo(v, 10);
    expect(r.primaryMetric).toEqual({ name: 'log_loss', direction: 'lower_is_better' });
    expect(r.featureImportance[0].feature).toBe('feature');
    expect(r.featureImportance[0].importance).toBeGreaterThan(0.5);
    expect(r.featureImportance[1].importance).toBe(0);
  });

  it('ranking: ndcg@10 drives importance; groups are required', () => {
    const queries = 100;
    const perQuery = 12;
    const n = queries * perQuery;
    const rng = new Random(11);
    const rel = new Float32Array(n);
    const score = new Float32Array(n);
    const noise = new Float32Array(n);
    const groups = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      groups[i] = Math.floor(i / perQuery);
      rel[i] = rng.nextInt(4);
      score[i] = rel[i] + 0.5 * rng.normal();
      noise[i] = rng.normal();
    }
    const predict: PredictFn = (cols, rows) => Float32Array.from((cols.score as Float32Array).subarray(0, rows));
    const r = evaluateModel({ predict, columns: { score, noise }, numRows: n, labels: rel, groups, task: 'ranking', featureColumns: ['noise', 'score'], seed: 2, maxImportanceRows: 600 });
    const expected = computeTaskMetrics('ranking', rel, score, { groups });
    expect(r.metrics['ndcg@10']).toBeCloseTo(expected['ndcg@10'], 10);
    expect(r.importanceRows).toBe(600); // whole queries of 12
    expect(r.featureImportance[0].feature).toBe('score');
    expect(r.featureImportance[0].importance).toBeGreaterThan(0.05);
    expect(() => evaluateModel({ predict, columns: { score }, numRows: n, labels: rel, task: 'ranking', featureColumns: [], seed: 1 })).toThrow(/groups/);
  });
});
