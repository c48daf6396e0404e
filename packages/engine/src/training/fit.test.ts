import { describe, expect, it } from 'vitest';
import {
  DivergenceError, Mlp, Random, batchesFromArrays, fit, memory, restoreWeights, snapshotWeights,
  type Batch, type Checkpoint, type MlpConfig,
} from '../index.js';
import { torchFixtures } from '../testing/fixtures.js';

function syntheticBinary(n: number, seed: number): { numRows: number; inputs: { x: Float32Array }; labels: Float32Array } {
  const rng = new Random(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal();
    y[i] = x[i * 4] - x[i * 4 + 1] + 0.3 * rng.normal() > 0 ? 1 : 0;
  }
  return { numRows: n, inputs: { x }, labels: y };
}

const smallMlp = (extra: Partial<MlpConfig> = {}) => new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], hiddenUnits: [16, 8], dropout: 0.1, seed: 3, ...extra });

describe('fit', () => {
  it('reproduces the PyTorch loss trajectory of a tiny MLP (Adam, full batch) within 1e-5', async () => {
    const c = torchFixtures().trajectory;
    const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], hiddenUnits: [8] });
    restoreWeights(model, {
      'body/0/kernel': Float32Array.from(c.init.w1),
      'body/0/bias': Float32Array.from(c.init.b1),
      'head/kernel': Float32Array.from(c.init.w2),
      'head/bias': Float32Array.from(c.init.b2),
    });
    const batch: Batch = { numRows: 16, inputs: { x: Float32Array.from(c.x) }, labels: Float32Array.from(c.y) };
    const losses: number[] = [];
    await fit(model, { epochs: 25, data: () => [batch], optimizer: { kind: 'adam', lr: c.lr }, callbacks: { onStep: (e) => losses.push(e.loss) } });
    expect(losses.length).toBe(25);
    for (let i = 0; i < 25; i++) expect(Math.abs(losses[i] - c.losses[i])).toBeLessThan(1e-5);
    model.dispose();
  });

  it('is deterministic with a seed (shuffling + dropout)', async () => {
    const data = syntheticBinary(256, 1);
    const run = async () => {
      const m = smallMlp();
      const r = await fit(m, { epochs: 2, seed: 9, data: batchesFromArrays(data, { batchSize: 32, shuffle: true, seed: 5 }), optimizer: { kind: 'adam', lr: 0.01 } });
      const w = snapshotWeights(m);
      m.dispose();
      return { r, w };
    };
    const a = await run();
    const b = await run();
    expect(a.r.history.map((h) => h.trainLoss)).toEqual(b.r.history.map((h) => h.trainLoss));
    expect(a.w).toEqual(b.w);
  });

  it('4 epochs straight equals 2 epochs + checkpoint + resume 2, bit for bit', async () => {
    const data = syntheticBinary(200, 2);
    const opts = { seed: 4, data: batchesFromArrays(data, { batchSize: 32, shuffle: true, seed: 8 }), optimizer: { kind: 'adamw' as const, lr: 0.01, clipNorm: 5, schedule: { warmupSteps: 3, schedule: { kind: 'cosine' as const, totalSteps: 20 } } } };
    const straight = smallMlp({ normalization: 'batch' });
    await fit(straight, { ...opts, epochs: 4 });

    const first = smallMlp({ normalization: 'batch' });
    let ckpt: Checkpoint | null = null;
    await fit(first, { ...opts, epochs: 2, callbacks: { onCheckpoint: (c) => void (ckpt = structuredClone(c)) } });
    first.dispose();
    expect(ckpt!.epoch).toBe(2);
    const resumed = smallMlp({ normalization: 'batch' });
    const r = await fit(resumed, { ...opts, epochs: 4, resumeFrom: ckpt! });
    expect(r.history.length).toBe(4);
    const a = snapshotWeights(straight), b = snapshotWeights(resumed);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(Buffer.from(b[k].buffer).equals(Buffer.from(a[k].buffer))).toBe(true);
    straight.dispose();
    resumed.dispose();
  });

  it('a checkpoint inside an epoch records the stream position; resuming from it continues at that batch, bit for bit', async () => {
    const data = syntheticBinary(200, 2);
    const opts = { seed: 4, data: batchesFromArrays(data, { batchSize: 32, shuffle: true, seed: 8 }), optimizer: { kind: 'adam' as const, lr: 0.01 } };
    const straight = smallMlp();
    const full = await fit(straight, { ...opts, epochs: 3 });

    const first = smallMlp();
    const checkpoints: Checkpoint[] = [];
    // Interval 0: a checkpoint after every batch (7 per epoch) and at every epoch end.
    await fit(first, { ...opts, epochs: 3, checkpointIntervalMs: 0, callbacks: { onCheckpoint: (c) => void checkpoints.push(structuredClone(c)) } });
    first.dispose();
    const mid = checkpoints.find((c) => c.epoch === 1 && c.position?.batches === 3)!;
    expect(mid).toBeDefined();
    expect(mid.step).toBe(7 + 3);
    const resumed = smallMlp();
    const r = await fit(resumed, { ...opts, epochs: 3, resumeFrom: mid });
    expect(r.history.map((h) => h.steps)).toEqual([7, 7, 7]);
    expect(r.history[1].trainLoss).toBeCloseTo(full.history[1].trainLoss, 6);
    const a = snapshotWeights(straight), b = snapshotWeights(resumed);
    for (const k of Object.keys(a)) expect(Buffer.from(b[k].buffer).equals(Buffer.from(a[k].buffer))).toBe(true);
    straight.dispose();
    resumed.dispose();
  });

  it('early stopping: patience, min delta, restores the best weights', async () => {
    const data = syntheticBinary(64, 3);
    const m = smallMlp();
    const snapshots: Record<string, Float32Array>[] = [];
    // A validation metric that peaks at epoch 1, then worsens.
    const scores = [0.5, 0.9, 0.85, 0.8, 0.7, 0.6];
    let e = 0;
    const r = await fit(m, {
      epochs: 6,
      data: batchesFromArrays(data, { batchSize: 16 }),
      optimizer: { kind: 'sgd', lr: 0.05 },
      validation: { data: () => [], metric: () => scores[e++], mode: 'max' },
      earlyStopping: { patience: 2, minDelta: 0.01, restoreBestWeights: true },
      callbacks: { onEpochEnd: () => void snapshots.push(snapshotWeights(m)) },
    });
    expect(r.status).toBe('early_stopped');
    expect(r.epochsCompleted).toBe(4);
    expect(r.bestEpoch).toBe(1);
    expect(snapshotWeights(m)).toEqual(snapshots[1]);
    m.dispose();
  });

  it('restores the best weights at the end of a run that never stopped early', async () => {
    const data = syntheticBinary(64, 3);
    const m = smallMlp();
    const snapshots: Record<string, Float32Array>[] = [];
    const scores = [0.5, 0.9, 0.85, 0.8]; // best at epoch 1; patience 10 never runs out
    let e = 0;
    const r = await fit(m, {
      epochs: 4,
      data: batchesFromArrays(data, { batchSize: 16 }),
      optimizer: { kind: 'sgd', lr: 0.05 },
      validation: { data: () => [], metric: () => scores[e++], mode: 'max' },
      earlyStopping: { patience: 10, restoreBestWeights: true },
      callbacks: { onEpochEnd: () => void snapshots.push(snapshotWeights(m)) },
    });
    expect(r).toMatchObject({ status: 'completed', epochsCompleted: 4, bestEpoch: 1 });
    expect(snapshotWeights(m)).toEqual(snapshots[1]);
    expect(snapshotWeights(m)).not.toEqual(snapshots[3]);
    m.dispose();
  });

  it('stops with a DivergenceError on a NaN loss', async () => {
    const data = syntheticBinary(32, 4);
    data.inputs.x[5] = NaN;
    const m = smallMlp();
    await expect(fit(m, { epochs: 1, data: batchesFromArrays(data, { batchSize: 32 }), optimizer: { kind: 'sgd', lr: 0.1 } })).rejects.toThrow(DivergenceError);
    m.dispose();
  });

  it('cancels promptly through an AbortSignal', async () => {
    const data = syntheticBinary(64, 5);
    const m = smallMlp();
    const ac = new AbortController();
    let steps = 0;
    const r = await fit(m, {
      epochs: 100,
      data: batchesFromArrays(data, { batchSize: 8 }),
      optimizer: { kind: 'sgd', lr: 0.01 },
      signal: ac.signal,
      callbacks: { onStep: () => void (++steps === 10 && ac.abort()) },
    });
    expect(r.status).toBe('cancelled');
    expect(steps).toBe(10);
    m.dispose();
  });

  it('yields to the event loop across short epochs, so an abort from a timer (a thread message) is seen', async () => {
    const data = syntheticBinary(16, 7);
    const m = smallMlp();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const t0 = performance.now();
    const r = await fit(m, { epochs: 20_000, data: batchesFromArrays(data, { batchSize: 16 }), optimizer: { kind: 'sgd', lr: 0.01 }, signal: ac.signal });
    expect(r.status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(5000);
    m.dispose();
  });

  it('a training step inside tidy leaves the live tensor count unchanged', async () => {
    const data = syntheticBinary(64, 6);
    const m = smallMlp({ normalization: 'layer' });
    await fit(m, { epochs: 1, data: batchesFromArrays(data, { batchSize: 16 }), optimizer: { kind: 'adam', lr: 0.01 } });
    const before = memory().numTensors;
    await fit(m, { epochs: 2, data: batchesFromArrays(data, { batchSize: 16 }), optimizer: { kind: 'adam', lr: 0.01 } });
    expect(memory().numTensors).toBe(before);
    m.dispose();
  });
});

describe('stored trajectory', () => {
  it('a seeded run (init, shuffles, dropout, LayerNorm, AdamW) reproduces fixtures/seeded-trajectory.json within 1e-5', async () => {
    const { readFileSync } = await import('node:fs');
    const stored = JSON.parse(readFileSync(new URL('../../fixtures/seeded-trajectory.json', import.meta.url), 'utf8')).losses as number[];
    const { seededTrajectory } = await import('../testing/seeded-trajectory.js');
    const losses = await seededTrajectory();
    expect(losses.length).toBe(stored.length);
    for (let i = 0; i < stored.length; i++) expect(Math.abs(losses[i] - stored[i])).toBeLessThan(1e-5);
  });
});
