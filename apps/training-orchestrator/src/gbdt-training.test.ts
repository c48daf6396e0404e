// `gbdt` jobs on the pure training path: every task, per-round epochs, early stopping, cancellation,
// and a resume from a round's checkpoint (through the checkpoint codec) that ends in the same bundle.
import { describe, expect, it } from 'vitest';
import type { TrainJobSpec } from '@atelier/contracts';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-codec.js';
import { bundlePredictFn } from './evaluation-core.js';
import { runTraining, type EpochReport, type TrainingTable } from './training-core.js';

const n = 600;
const r = (i: number) => (((Math.sin(i * 12.9898 + 1) * 43758.5453) % 1) + 1) % 1;
const age = Float64Array.from({ length: n }, (_, i) => 20 + r(i) * 50);
const city = Array.from({ length: n }, (_, i) => ['paris', 'lyon', 'nice'][Math.floor(r(i + 7) * 3)]);
const y = Float64Array.from({ length: n }, (_, i) => (age[i] > 45 !== (city[i] === 'nice') ? 1 : 0));
const plan = Array.from({ length: n }, (_, i) => (age[i] > 55 ? 'gold' : age[i] > 35 ? 'silver' : 'bronze'));
const spend = Float64Array.from({ length: n }, (_, i) => 3 * age[i] + (city[i] === 'lyon' ? 40 : 0) + (i % 50 === 0 ? 5000 : 0));
const table: TrainingTable = { numRows: n, columns: { age, city, y, plan, spend } };

const spec = (hyper: Record<string, unknown>, over: Partial<TrainJobSpec> = {}): TrainJobSpec => ({
  modelName: 'm',
  data: { dataset: 'd', version: 1 },
  label: 'y',
  features: [
    { name: 'age', type: 'numeric', transform: 'none' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'gbdt', hyperparameters: hyper },
  split: { method: 'random', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 3 },
  seed: 1,
  ...over,
});

describe('gbdt training jobs (runTraining)', () => {
  it('binary: learns an interaction of a numeric and a categorical feature, one epoch event per round', async () => {
    const epochs: EpochReport[] = [];
    const out = await runTraining(spec({ numTrees: 30, maxDepth: 3, learningRate: 0.3, earlyStoppingRounds: 0 }), table, { onEpoch: (e) => void epochs.push(e) });
    expect(out.status).toBe('completed');
    expect(out.epochsCompleted).toBe(30);
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(epochs[29].trainLoss).toBeLessThan(epochs[0].trainLoss);
    expect(epochs[29].validation?.val_auc).toBeGreaterThan(0.95);
    expect(out.testMetrics.auc).toBeGreaterThan(0.95);
    const p = bundlePredictFn(out.bundle!);
    const probs = p.predict({ age: Float64Array.of(30, 60, 30, 60), city: ['paris', 'paris', 'nice', 'nice'] }, 4);
    expect(probs[0]).toBeLessThan(0.5);
    expect(probs[1]).toBeGreaterThan(0.5);
    expect(probs[2]).toBeGreaterThan(0.5);
    expect(probs[3]).toBeLessThan(0.5);
    p.dispose();
  });

  it('multiclass with string classes and regression with an absolute loss', async () => {
    const mc = await runTraining(spec({ task: 'multiclass', numTrees: 20, maxDepth: 3 }, { label: 'plan' }), table);
    expect(mc.labelClasses).toEqual(['bronze', 'gold', 'silver']);
    expect(mc.testMetrics.accuracy).toBeGreaterThan(0.95);
    const reg = await runTraining(spec({ task: 'regression', loss: 'absolute', numTrees: 60, learningRate: 0.3 }, { label: 'spend' }), table);
    expect(reg.task).toBe('regression');
    // Every 50th row is a +5000 outlier: the absolute loss fits the median, not the outliers' pull.
    const p = bundlePredictFn(reg.bundle!);
    const v = p.predict({ age: Float64Array.of(30, 60), city: ['paris', 'lyon'] }, 2);
    expect(Math.abs(v[0] - 90)).toBeLessThan(15);
    expect(Math.abs(v[1] - 220)).toBeLessThan(15);
    p.dispose();
  });

  it('stops early on the validation loss and keeps the best round', async () => {
    const noisy = Float64Array.from({ length: n }, (_, i) => (r(i + 99) < 0.5 ? 1 : 0));
    const out = await runTraining(spec({ numTrees: 500, maxDepth: 6, learningRate: 0.5, earlyStoppingRounds: 3 }), { numRows: n, columns: { ...table.columns, y: noisy } });
    expect(out.status).toBe('early_stopped');
    expect(out.epochsCompleted).toBeLessThan(500);
    expect(out.bestEpoch).toBe(out.epochsCompleted - 3);
  });

  it('resumes from a round checkpoint (encoded and decoded) into the same bundle, byte for byte', async () => {
    const s = spec({ numTrees: 12, maxDepth: 4, subsample: 0.8, colsampleByTree: 0.5, earlyStoppingRounds: 0 });
    const straight = await runTraining(s, table);
    const controller = new AbortController();
    let saved: Uint8Array | undefined;
    const first = await runTraining(s, table, {
      signal: controller.signal,
      onCheckpoint: (c) => {
        if (c.epoch === 5) {
          saved = encodeCheckpoint(c);
          controller.abort();
        }
      },
    });
    expect(first.status).toBe('cancelled');
    expect(first.bundle).toBeUndefined();
    const epochs: number[] = [];
    const resumed = await runTraining(s, table, { onEpoch: (e) => void epochs.push(e.epoch) }, decodeCheckpoint(saved!).checkpoint);
    expect(epochs).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(Buffer.from(resumed.bundle!).equals(Buffer.from(straight.bundle!))).toBe(true);
    expect(resumed.testMetrics).toEqual(straight.testMetrics);
  });
});

describe('gbdt evaluation', () => {
  it('adds mean |TreeSHAP| per feature to the permutation importance', async () => {
    const { runEvaluationCompute } = await import('./evaluation-core.js');
    const out = await runTraining(spec({ numTrees: 20, maxDepth: 3, earlyStoppingRounds: 0 }), table);
    const ev = runEvaluationCompute({ bundle: out.bundle!, table, seed: 1 }, { importance: true });
    const byName = Object.fromEntries(ev.result.featureImportance.map((f) => [f.feature, f]));
    expect(byName.age.shap).toBeGreaterThan(0);
    expect(byName.city.shap).toBeGreaterThan(0);
  });
});
