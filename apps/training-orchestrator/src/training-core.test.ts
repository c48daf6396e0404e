// The pure training path for every model kind and both split methods, without a database: what the
// worker thread runs.
import { describe, expect, it } from 'vitest';
import { bundlePredictFn } from './evaluation-core.js';
import { runTraining, splitRows, type TrainingTable } from './training-core.js';
import type { TrainJobSpec } from '@atelier/contracts';

const n = 300;
const r = (i: number) => (((Math.sin(i * 12.9898 + 1) * 43758.5453) % 1) + 1) % 1;
const age = Float64Array.from({ length: n }, (_, i) => 20 + r(i) * 50);
const city = Array.from({ length: n }, (_, i) => ['paris', 'lyon', 'nice'][Math.floor(r(i + 7) * 3)]);
const user = Array.from({ length: n }, (_, i) => `u${i % 20}`);
const item = Array.from({ length: n }, (_, i) => `i${(i * 7) % 15}`);
const ts = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + ((i * 37) % n) * 60_000);
const y = Float64Array.from({ length: n }, (_, i) => (age[i] > 45 !== (city[i] === 'nice') ? 1 : 0));
const plan = Array.from({ length: n }, (_, i) => (age[i] > 55 ? 'gold' : age[i] > 35 ? 'silver' : 'bronze'));
const table: TrainingTable = { numRows: n, columns: { age, city, user, item, ts, y, plan } };

const base = (over: Partial<TrainJobSpec>): TrainJobSpec => ({
  modelName: 'm',
  data: { dataset: 'd', version: 1 },
  label: 'y',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'logistic' },
  maxEpochs: 3,
  batchSize: 32,
  optimizer: { kind: 'adam', lr: 0.05 },
  ...over,
});

describe('runTraining', () => {
  it('trains wide & deep (binary) into a bundle whose predictions separate the classes', async () => {
    const out = await runTraining(base({ model: { kind: 'wide_deep', hyperparameters: { hiddenUnits: [16], wideFeatures: ['city'] } }, maxEpochs: 8 }), table);
    expect(out.status).toBe('completed');
    expect(out.task).toBe('binary');
    expect(out.testMetrics.auc).toBeGreaterThan(0.75);
    const p = bundlePredictFn(out.bundle!);
    expect(p.metadata['atelier.task']).toBe('binary');
    p.dispose();
  });

  it('with GPU memory given (hooks.gpuMemoryBytes) keeps the train split resident when it fits: on the CPU backend the same bundle as host batches', async () => {
    const spec = base({ model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8] } } });
    const host = await runTraining(spec, table);
    const logs: string[] = [];
    const resident = await runTraining(spec, table, { gpuMemoryBytes: 1 << 30, onLog: (m) => logs.push(m) });
    expect(logs.filter((m) => m.startsWith('train batches:'))).toEqual([expect.stringContaining('resident on the GPU')]);
    expect(Buffer.from(resident.bundle!).equals(Buffer.from(host.bundle!))).toBe(true);
    expect(resident.testMetrics).toEqual(host.testMetrics);
    const small: string[] = [];
    await runTraining({ ...spec, maxEpochs: 1 }, table, { gpuMemoryBytes: 1024, onLog: (m) => small.push(m) });
    expect(small.filter((m) => m.startsWith('train batches:'))).toEqual([expect.stringMatching(/^train batches: host \(the train split is .* over half of the GPU's/)]);
  });

  it('trains multiclass softmax with string classes, recorded in order', async () => {
    const out = await runTraining(base({ label: 'plan', model: { kind: 'softmax' }, maxEpochs: 10, optimizer: { kind: 'adam', lr: 0.1 } }), table);
    expect(out.labelClasses).toEqual(['bronze', 'gold', 'silver']);
    expect(out.testMetrics.accuracy).toBeGreaterThan(0.6);
  });

  it('trains a two-tower retrieval model without a label', async () => {
    const out = await runTraining(
      base({
        label: undefined,
        features: [
          { name: 'user', type: 'categorical', transform: 'hash', options: { hashBuckets: 32 } },
          { name: 'age', type: 'numeric', transform: 'minmax' },
          { name: 'item', type: 'categorical', transform: 'vocabulary' },
        ],
        model: { kind: 'two_tower', hyperparameters: { userFeatures: ['user', 'age'], itemFeatures: ['item'], hiddenUnits: [8], outputDim: 8 } },
      }),
      table,
    );
    expect(out.task).toBe('retrieval');
    expect(Number.isFinite(out.testMetrics.loss)).toBe(true);
    const mapping = JSON.parse(bundlePredictFn(out.bundle!).metadata['atelier.inputs']);
    expect(mapping.dense).toEqual({ __user_dense: ['age'] });
    expect(mapping.categorical).toEqual(['user', 'item']);
  });

  it('splits by time: the newest rows are the test split', () => {
    const spec = base({ split: { method: 'time', fractions: { train: 0.6, validation: 0.2, test: 0.2 }, timeColumn: 'ts' } });
    const { train, validation, test } = splitRows(spec, { numRows: n, columns: { ...table.columns, ts } });
    expect([train.length, validation.length, test.length]).toEqual([180, 60, 60]);
    const maxTrain = Math.max(...Array.from(train, (i) => ts[i]));
    const minTest = Math.min(...Array.from(test, (i) => ts[i]));
    expect(minTest).toBeGreaterThan(maxTrain);
  });

  it('refuses a binary model on a label with three values, naming the label', async () => {
    await expect(runTraining(base({ label: 'plan' }), table)).rejects.toThrow("label 'plan' has 3 distinct values; a binary model needs at most 2");
  });
});
