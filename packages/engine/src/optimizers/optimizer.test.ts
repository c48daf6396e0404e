import { describe, expect, it } from 'vitest';
import { Optimizer, Variable, fromTyped, learningRateAt, memory, tensor, tidy, type OptimizerConfig, type SparseRows } from '../index.js';
import { maxAbsDiff, torchFixtures } from '../testing/fixtures.js';

const fx = torchFixtures().optimizers;

const configs: Record<string, OptimizerConfig> = {
  sgd_momentum: { kind: 'sgd', lr: 0.1, momentum: 0.9 },
  sgd_nesterov: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
  adam: { kind: 'adam', lr: 0.01 },
  adam_l2: { kind: 'adam', lr: 0.01, l2: 0.1 },
  adamw: { kind: 'adamw', lr: 0.01, weightDecay: 0.1 },
  adagrad: { kind: 'adagrad', lr: 0.1 },
};

describe('fused optimizer kernels vs PyTorch', () => {
  for (const [name, cfg] of Object.entries(configs)) {
    it(name, () => {
      const p = new Variable(tensor(Float32Array.from(fx.p0), [3, 4]), 'p');
      const opt = new Optimizer(cfg);
      fx.cases[name].params.forEach((expected: number[], step: number) => {
        tidy(() => {
          opt.apply([p], [tensor(Float32Array.from(fx.grads[step]), [3, 4])]);
        });
        expect(maxAbsDiff(p.toArray(), expected)).toBeLessThan(1e-6);
      });
      opt.dispose();
      p.dispose();
    });
  }
});

describe('sparse updates', () => {
  it('only the looked-up rows of an embedding table change, duplicates are summed', () => {
    const before = memory().numTensors;
    const table = new Variable(tensor(Float32Array.from({ length: 12 }, (_, i) => i), [4, 3]), 'table');
    const opt = new Optimizer({ kind: 'adam', lr: 0.1 });
    const start = table.toArray();
    tidy(() => {
      const g: SparseRows = { kind: 'sparse-rows', rows: fromTyped(Int32Array.from([2, -1, 2]), [3]), values: tensor([[1, 1, 1], [5, 5, 5], [1, 1, 1]]), shape: [4, 3] };
      opt.apply([table], [g]);
    });
    const after = table.toArray();
    for (const r of [0, 1, 3]) expect(after.slice(r * 3, r * 3 + 3)).toEqual(start.slice(r * 3, r * 3 + 3));
    for (let j = 0; j < 3; j++) expect(after[6 + j]).toBeCloseTo(start[6 + j] - 0.1, 5);
    opt.dispose();
    table.dispose();
    expect(memory().numTensors).toBe(before);
  });
});

describe('clipping and schedules', () => {
  it('clips by global norm across parameters', () => {
    const a = new Variable(tensor([0, 0]), 'a');
    const b = new Variable(tensor([0]), 'b');
    const opt = new Optimizer({ kind: 'sgd', lr: 1, clipNorm: 1 });
    const info = tidy(() => opt.apply([a, b], [tensor([3, 0]), tensor([4])]));
    expect(info.gradNorm).toBeCloseTo(5, 6);
    expect(info.clipped).toBe(true);
    expect(a.toArray()[0]).toBeCloseTo(-0.6, 6);
    expect(b.toArray()[0]).toBeCloseTo(-0.8, 6);
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  it('learning-rate schedules', () => {
    expect(learningRateAt(0.1, 5)).toBe(0.1);
    expect(learningRateAt(1, 25, { schedule: { kind: 'step', stepSize: 10, gamma: 0.5 } })).toBe(0.25);
    expect(learningRateAt(1, 20, { schedule: { kind: 'exponential', decaySteps: 10, decayRate: 0.5 } })).toBeCloseTo(0.25, 12);
    expect(learningRateAt(1, 50, { schedule: { kind: 'cosine', totalSteps: 100 } })).toBeCloseTo(0.5, 12);
    expect(learningRateAt(1, 100, { schedule: { kind: 'cosine', totalSteps: 100, minLr: 0.1 } })).toBeCloseTo(0.1, 12);
    expect(learningRateAt(1, 0, { warmupSteps: 4 })).toBe(0.25);
    expect(learningRateAt(1, 3, { warmupSteps: 4 })).toBe(1);
    expect(learningRateAt(1, 4, { warmupSteps: 4, schedule: { kind: 'step', stepSize: 1, gamma: 0.5 } })).toBe(1);
  });

  it('optimizer state round-trips', () => {
    const p = new Variable(tensor([1, 2]), 'p');
    const opt = new Optimizer({ kind: 'adam', lr: 0.1 });
    tidy(() => opt.apply([p], [tensor([1, -1])]));
    const state = opt.getState([['p', p]]);
    expect(state.step).toBe(1);
    const opt2 = new Optimizer({ kind: 'adam', lr: 0.1 });
    const q = new Variable(tensor(p.dataSync() as Float32Array, [2]), 'q');
    opt2.setState([['p', q]], state);
    tidy(() => opt.apply([p], [tensor([0.5, 0.5])]));
    tidy(() => opt2.apply([q], [tensor([0.5, 0.5])]));
    expect(q.toArray()).toEqual(p.toArray());
    for (const x of [opt, opt2, p, q]) x.dispose();
  });
});
