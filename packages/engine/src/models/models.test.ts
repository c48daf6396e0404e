// Each canned model must learn a synthetic task with a planted signal.
import { describe, expect, it } from 'vitest';
import {
  LinearRegression, LogisticRegression, Mlp, Random, SoftmaxRegression, TwoTower, WideDeep, batchesFromArrays, createModel,
  createPredictor, fit, memory, rocAuc, r2, accuracy, argmaxRows, readRows, type ArrayData, type CannedModel, type OptimizerConfig,
} from '../index.js';

function makeData(n: number, seed: number, label: (x: Float32Array, i: number, rng: Random, cat: Int32Array) => number, opts: { width?: number; vocab?: number; intLabels?: boolean } = {}): ArrayData {
  const rng = new Random(seed);
  const w = opts.width ?? 6;
  const x = new Float32Array(n * w);
  const cat = new Int32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) cat[i] = rng.nextInt(opts.vocab ?? 20);
  const y = opts.intLabels ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = label(x, i, rng, cat);
  return { numRows: n, inputs: { x, cat }, labels: y };
}

async function train(model: CannedModel, data: ArrayData, epochs: number, optimizer: OptimizerConfig, batchSize = 64): Promise<void> {
  await fit(model, { epochs, data: batchesFromArrays(data, { batchSize, shuffle: true, seed: 1 }), optimizer, seed: 2 });
}

const predict = (m: CannedModel, d: ArrayData) => createPredictor(m).predict(d);
const dense = { name: 'x', kind: 'dense', width: 6 } as const;
const cat = { name: 'cat', kind: 'categorical', vocabSize: 20, embeddingDim: 4 } as const;

describe('canned models learn planted signals', () => {
  it('linear regression: R² > 0.95', async () => {
    const f = (x: Float32Array, i: number, r: Random) => 2 * x[i * 6] - x[i * 6 + 3] + 0.5 + 0.1 * r.normal();
    const m = new LinearRegression({ inputs: [dense] });
    await train(m, makeData(1000, 1, f), 10, { kind: 'adam', lr: 0.05 });
    const test = makeData(500, 2, f);
    expect(r2(test.labels!, predict(m, test))).toBeGreaterThan(0.95);
    m.dispose();
  });

  it('logistic regression: AUC ≥ 0.95', async () => {
    const f = (x: Float32Array, i: number, r: Random) => (x[i * 6] + x[i * 6 + 1] - x[i * 6 + 2] + 0.3 * r.normal() > 0 ? 1 : 0);
    const m = new LogisticRegression({ inputs: [dense] });
    await train(m, makeData(1000, 3, f), 8, { kind: 'adam', lr: 0.05 });
    const test = makeData(500, 4, f);
    expect(rocAuc(test.labels!, predict(m, test))).toBeGreaterThanOrEqual(0.95);
    m.dispose();
  });

  it('softmax regression: accuracy > 0.9 on 3 linearly separable classes', async () => {
    const f = (x: Float32Array, i: number) => {
      const s = [x[i * 6], x[i * 6 + 1], -x[i * 6] - x[i * 6 + 1]];
      return s.indexOf(Math.max(...s));
    };
    const m = new SoftmaxRegression({ inputs: [dense], numClasses: 3 });
    await train(m, makeData(1500, 5, f, { intLabels: true }), 15, { kind: 'adam', lr: 0.05 });
    const test = makeData(500, 6, f, { intLabels: true });
    expect(accuracy(test.labels!, argmaxRows(predict(m, test), 3))).toBeGreaterThan(0.9);
    m.dispose();
  });

  it('MLP: learns a non-linear (XOR-like) rule with a categorical embedding, AUC ≥ 0.95', async () => {
    const good = new Set([1, 4, 7, 11, 15]);
    const f = (x: Float32Array, i: number, _r: Random, c: Int32Array) => (x[i * 6] * x[i * 6 + 1] > 0 !== good.has(c[i]) ? 1 : 0);
    const m = new Mlp({ inputs: [dense, cat], hiddenUnits: [64, 32], seed: 1 });
    await train(m, makeData(3000, 7, f), 15, { kind: 'adam', lr: 0.01 });
    const test = makeData(1000, 8, f);
    expect(rocAuc(test.labels!, predict(m, test))).toBeGreaterThanOrEqual(0.95);
    m.dispose();
  });

  it('MLP (ranking task, pairwise loss): orders items inside query groups', async () => {
    const n = 1200;
    const data = makeData(n, 9, (x, i) => Math.max(0, Math.round(x[i * 6] * 1.5 + 1)));
    data.groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 12));
    const m = new Mlp({ inputs: [dense], hiddenUnits: [16], task: 'ranking', seed: 2 });
    await fit(m, { epochs: 10, data: batchesFromArrays(data, { batchSize: 120 }), optimizer: { kind: 'adam', lr: 0.01 } });
    const scores = predict(m, data);
    let agree = 0, pairs = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n && data.groups![j] === data.groups![i]; j++) {
      if (data.labels![i] === data.labels![j]) continue;
      pairs++;
      if ((data.labels![i] > data.labels![j]) === (scores[i] > scores[j])) agree++;
    }
    expect(agree / pairs).toBeGreaterThan(0.9);
    m.dispose();
  });

  it('wide & deep: memorises per-id effects (wide) plus a dense rule (deep), AUC ≥ 0.95', async () => {
    const effect = Float32Array.from({ length: 20 }, (_, k) => (k % 3 === 0 ? 2.5 : -1));
    const f = (x: Float32Array, i: number, r: Random, c: Int32Array) => (effect[c[i]] + Math.abs(x[i * 6]) * 1.5 - 1.2 + 0.3 * r.normal() > 0 ? 1 : 0);
    const m = new WideDeep({
      wideInputs: [{ name: 'cat', kind: 'categorical', vocabSize: 20, embeddingDim: 1 }],
      deepInputs: [dense],
      hiddenUnits: [32, 16],
      seed: 3,
    });
    await train(m, makeData(3000, 10, f), 12, { kind: 'adam', lr: 0.02 });
    const test = makeData(1000, 11, f);
    expect(rocAuc(test.labels!, predict(m, test))).toBeGreaterThanOrEqual(0.95);
    m.dispose();
  });

  it('two-tower with in-batch negatives: recall@10 far above chance', async () => {
    const U = 100;
    const rng = new Random(12);
    const likes = rng.permutation(U); // user u's item
    const n = 4000;
    const user = new Int32Array(n), item = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      user[i] = rng.nextInt(U);
      item[i] = likes[user[i]];
    }
    const m = new TwoTower({
      userInputs: [{ name: 'user', kind: 'categorical', vocabSize: U, embeddingDim: 16 }],
      itemInputs: [{ name: 'item', kind: 'categorical', vocabSize: U, embeddingDim: 16 }],
      hiddenUnits: [32], outputDim: 16, seed: 4,
    });
    await fit(m, { epochs: 8, data: batchesFromArrays({ numRows: n, inputs: { user, item } }, { batchSize: 64, shuffle: true, seed: 3, dropRemainder: true }), optimizer: { kind: 'adam', lr: 0.01 } });
    // Score every user against every item; the liked item should be in the top 10.
    const all = Int32Array.from({ length: U }, (_, k) => k);
    const ue = readRows(m.userEmbedding.bind(m), { user: all }, U);
    const ie = readRows(m.itemEmbedding.bind(m), { item: all }, U);
    const d = ue.length / U;
    let hits = 0;
    for (let u = 0; u < U; u++) {
      const s = new Float64Array(U);
      for (let k = 0; k < U; k++) for (let j = 0; j < d; j++) s[k] += ue[u * d + j] * ie[k * d + j];
      const target = s[likes[u]];
      let better = 0;
      for (let k = 0; k < U; k++) if (s[k] > target) better++;
      if (better < 10) hits++;
    }
    expect(hits / U).toBeGreaterThan(0.8); // chance: 0.1
    m.dispose();
  });

  it('createModel builds every kind and training leaks no tensors', async () => {
    const before = memory().numTensors;
    const m = createModel({ kind: 'mlp', config: { inputs: [dense], hiddenUnits: [4] } });
    expect(m.kind).toBe('mlp');
    await train(m, makeData(64, 1, () => 1), 1, { kind: 'sgd', lr: 0.1 });
    m.dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => createModel({ kind: 'gbdt' } as never)).toThrow(/grown by boosting/);
    expect(() => createModel({ kind: 'forest' } as never)).toThrow(/unknown model kind 'forest'/);
  });
});
