// Forward and backward of each layer against PyTorch fixtures (float32; tolerance 1e-5).
import { describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Dropout, Embedding, LayerNorm, Random, fromTyped, memory, mul, sum, tensor, tidy, valueAndGrads, type Tensor, type Variable } from '../index.js';
import { maxAbsDiff, torchFixtures } from '../testing/fixtures.js';

const fx = torchFixtures();
const TOL = 1e-5;
const f32 = (a: number[]) => Float32Array.from(a);

/** Forward y = f(), then gradients of sum(y · upstream) wrt `wrt`. */
function fwdBwd(f: () => Tensor, upstream: number[], wrt: Tensor[]): { y: number[]; grads: number[][] } {
  return tidy(() => {
    let y: number[] = [];
    const { grads } = valueAndGrads(() => {
      const out = f();
      y = out.toArray();
      return sum(mul(out, tensor(f32(upstream), out.shape)));
    }, wrt);
    return { y, grads: grads.map((g) => g.toArray()) };
  });
}

function setVar(v: Variable, values: number[]): void {
  v.assign(f32(values));
}

describe('layers vs PyTorch', () => {
  for (const act of ['linear', 'relu', 'sigmoid', 'tanh', 'gelu'] as const) {
    it(`Dense + ${act}`, () => {
      const c = fx[`dense_${act}`];
      const layer = new Dense(5, { units: 3, activation: act }, new Random(1));
      setVar(layer.kernel, c.w);
      setVar(layer.bias!, c.b);
      const x = tensor(f32(c.x), [4, 5]);
      const r = fwdBwd(() => layer.call(x), c.upstream, [x, layer.kernel, layer.bias!]);
      expect(maxAbsDiff(r.y, c.y)).toBeLessThan(TOL);
      expect(maxAbsDiff(r.grads[0], c.dx)).toBeLessThan(TOL);
      expect(maxAbsDiff(r.grads[1], c.dw)).toBeLessThan(TOL);
      expect(maxAbsDiff(r.grads[2], c.db)).toBeLessThan(TOL);
      x.dispose();
      layer.dispose();
    });
  }

  for (const mode of ['sum', 'mean'] as const) {
    it(`Embedding bag (${mode}), padded ids and offsets layouts`, () => {
      const c = fx[`embedding_bag_${mode}`];
      const emb = new Embedding({ vocabSize: 6, dim: 4 }, new Random(1));
      setVar(emb.table, c.table);
      const padded = fromTyped(Int32Array.from(c.padded_ids.flat()), [4, 3]);
      const a = fwdBwd(() => emb.bagPadded(padded, mode), c.upstream, [emb.table]);
      expect(maxAbsDiff(a.y, c.y)).toBeLessThan(TOL);
      expect(maxAbsDiff(a.grads[0], c.dtable)).toBeLessThan(TOL);
      const b = fwdBwd(() => emb.bagOffsets(Int32Array.from(c.ids), Int32Array.from(c.offsets), mode), c.upstream, [emb.table]);
      expect(maxAbsDiff(b.y, c.y)).toBeLessThan(TOL);
      expect(maxAbsDiff(b.grads[0], c.dtable)).toBeLessThan(TOL);
      padded.dispose();
      emb.dispose();
    });
  }

  it('LayerNorm', () => {
    const c = fx.layer_norm;
    const ln = new LayerNorm(6, 1e-5, new Random(1));
    setVar(ln.gamma, c.gamma);
    setVar(ln.beta, c.beta);
    const x = tensor(f32(c.x), [3, 6]);
    const r = fwdBwd(() => ln.call(x), c.upstream, [x, ln.gamma, ln.beta]);
    expect(maxAbsDiff(r.y, c.y)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[0], c.dx)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[1], c.dgamma)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[2], c.dbeta)).toBeLessThan(TOL);
    x.dispose();
    ln.dispose();
  });

  it('BatchNorm: training step (batch stats, running stats) then inference mode', () => {
    const c = fx.batch_norm;
    const bn = new BatchNorm(4, new Random(1));
    setVar(bn.gamma, c.gamma);
    setVar(bn.beta, c.beta);
    const x = tensor(f32(c.x), [5, 4]);
    const r = fwdBwd(() => bn.call(x, { training: true }), c.upstream, [x, bn.gamma, bn.beta]);
    expect(maxAbsDiff(r.y, c.y)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[0], c.dx)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[1], c.dgamma)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.grads[2], c.dbeta)).toBeLessThan(TOL);
    expect(maxAbsDiff(bn.runningMean.toArray(), c.running_mean)).toBeLessThan(TOL);
    expect(maxAbsDiff(bn.runningVar.toArray(), c.running_var)).toBeLessThan(TOL);
    const yEval = tidy(() => bn.call(tensor(f32(c.x_eval), [3, 4]), { training: false }).toArray());
    expect(maxAbsDiff(yEval, c.y_eval)).toBeLessThan(TOL);
    x.dispose();
    bn.dispose();
  });

  it('Dropout: identity at inference, seeded inverted mask in training', () => {
    const d = new Dropout(0.5);
    tidy(() => {
      const x = tensor(f32(Array.from({ length: 1000 }, () => 1)), [1000]);
      expect(d.call(x, { training: false }).toArray()).toEqual(x.toArray());
      const a = d.call(x, { training: true, rng: new Random(3) }).toArray();
      const b = d.call(x, { training: true, rng: new Random(3) }).toArray();
      expect(a).toEqual(b);
      expect(new Set(a)).toEqual(new Set([0, 2]));
      const kept = a.filter((v) => v > 0).length;
      expect(kept).toBeGreaterThan(400);
      expect(kept).toBeLessThan(600);
    });
  });

  it('layers leak no tensors', () => {
    const before = memory().numTensors;
    const layer = new Dense(3, { units: 2, activation: 'relu' }, new Random(2));
    tidy(() => {
      valueAndGrads(() => sum(layer.call(tensor([[1, 2, 3]]))), layer.parameters());
    });
    layer.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
