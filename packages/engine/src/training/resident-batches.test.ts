// Resident batches (columns kept on the backend, batches gathered by row index) train exactly like
// host batches on the CPU backend: same rows in the same order, so the same losses and weights, bit
// for bit — also across a mid-epoch checkpoint and resume.
import { describe, expect, it } from 'vitest';
import {
  Mlp, Random, batchesFromArrays, fit, memory, snapshotWeights,
  type ArrayData, type Checkpoint, type CannedModel, type FitOptions,
} from '../index.js';

function mixedData(n: number, seed: number, multiclass: boolean): ArrayData {
  const r = new Random(seed);
  const x = Float32Array.from({ length: n * 3 }, () => r.normal());
  const cat = Int32Array.from({ length: n }, () => r.nextInt(9));
  // multi_hot [N·3] padded with -1.
  const tags = Int32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 && r.next() < 0.5 ? -1 : r.nextInt(6)));
  const score = (i: number) => x[i * 3] - x[i * 3 + 1] + (cat[i] % 3) * 0.5 + (tags[i * 3] % 2) - 0.7;
  const labels = multiclass
    ? Int32Array.from({ length: n }, (_, i) => (score(i) > 0.5 ? 2 : score(i) > -0.5 ? 1 : 0))
    : Float32Array.from({ length: n }, (_, i) => (score(i) + 0.3 * r.normal() > 0 ? 1 : 0));
  return { numRows: n, inputs: { x, cat, tags }, labels };
}

const model = (numClasses?: number) => new Mlp({
  inputs: [
    { name: 'x', kind: 'dense', width: 3 },
    { name: 'cat', kind: 'categorical', vocabSize: 9, embeddingDim: 4 },
    { name: 'tags', kind: 'multi_hot', vocabSize: 6, embeddingDim: 3, maxIds: 3 },
  ],
  hiddenUnits: [16, 8], dropout: 0.1, seed: 3, ...(numClasses && { numClasses }),
});

async function run(make: () => CannedModel, data: ArrayData, resident: boolean, extra: Partial<FitOptions> = {}) {
  const source = batchesFromArrays(data, { batchSize: 24, shuffle: true, seed: 8, resident });
  expect(source.resident).toBe(resident);
  const m = make();
  const losses: number[] = [];
  const r = await fit(m, {
    epochs: 3, seed: 4, data: source, optimizer: { kind: 'adam', lr: 0.01 },
    ...extra,
    callbacks: { ...extra.callbacks, onStep: (e) => void losses.push(e.loss) },
  });
  const weights = snapshotWeights(m);
  m.dispose();
  source.dispose();
  return { losses, weights, history: r.history };
}

function expectSameWeights(a: Record<string, Float32Array>, b: Record<string, Float32Array>): void {
  expect(Object.keys(b)).toEqual(Object.keys(a));
  for (const k of Object.keys(a)) expect(Buffer.from(b[k].buffer).equals(Buffer.from(a[k].buffer)), k).toBe(true);
}

describe('batchesFromArrays({ resident: true })', () => {
  it('yields the host batches\' rows as indices into kept columns; dispose frees them', () => {
    const data = mixedData(50, 1, false);
    const before = memory().numTensors;
    const host = batchesFromArrays(data, { batchSize: 16, shuffle: true, seed: 2 });
    const res = batchesFromArrays(data, { batchSize: 16, shuffle: true, seed: 2, resident: true });
    expect(memory().numTensors - before).toBe(4); // x, cat, tags, labels
    const hb = [...host(1)], rb = [...res(1)];
    expect(rb.map((b) => b.numRows)).toEqual(hb.map((b) => b.numRows));
    for (let i = 0; i < hb.length; i++) {
      expect(rb[i].inputs).toEqual({});
      expect(rb[i].labels).toBeUndefined();
      const rows = rb[i].resident!.rows;
      expect(Array.from(rows, (r) => data.inputs.cat[r])).toEqual(Array.from(hb[i].inputs.cat));
      expect(Array.from(rows, (r) => data.labels![r])).toEqual(Array.from(hb[i].labels!));
    }
    res.dispose();
    host.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('binary MLP (dense, categorical, multi_hot, dropout): the same losses and weights as host batches, bit for bit', async () => {
    const data = mixedData(130, 2, false);
    const before = memory().numTensors;
    const host = await run(() => model(), data, false);
    const res = await run(() => model(), data, true);
    expect(memory().numTensors).toBe(before);
    expect(res.losses.length).toBe(host.losses.length);
    expect(res.losses).toEqual(host.losses);
    expectSameWeights(host.weights, res.weights);
  });

  it('multiclass (int32 labels): the same losses and weights, bit for bit', async () => {
    const data = mixedData(100, 3, true);
    const host = await run(() => model(3), data, false);
    const res = await run(() => model(3), data, true);
    expect(res.losses).toEqual(host.losses);
    expectSameWeights(host.weights, res.weights);
  });

  it('a resume from a mid-epoch checkpoint continues at that batch, bit for bit', async () => {
    const data = mixedData(130, 4, false);
    const straight = await run(() => model(), data, true);
    const checkpoints: Checkpoint[] = [];
    await run(() => model(), data, true, { checkpointIntervalMs: 0, callbacks: { onCheckpoint: (c) => void checkpoints.push(structuredClone(c)) } });
    const mid = checkpoints.find((c) => c.epoch === 1 && c.position?.batches === 2)!;
    expect(mid).toBeDefined();
    const resumed = await run(() => model(), data, true, { resumeFrom: mid });
    expect(resumed.history.map((h) => h.steps)).toEqual(straight.history.map((h) => h.steps));
    expect(resumed.losses).toEqual(straight.losses.slice(straight.losses.length - resumed.losses.length));
    expectSameWeights(straight.weights, resumed.weights);
  });

  it('is ignored for ranking data (groups): host batches', () => {
    const data = { ...mixedData(20, 5, false), groups: Int32Array.from({ length: 20 }, (_, i) => i >> 2) };
    const src = batchesFromArrays(data, { batchSize: 8, resident: true });
    expect(src.resident).toBe(false);
    const [b] = src(0);
    expect(b.resident).toBeUndefined();
    expect(b.groups).toBeDefined();
    src.dispose();
  });
});
