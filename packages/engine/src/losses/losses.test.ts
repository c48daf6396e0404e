import { describe, expect, it } from 'vitest';
import { bceWithLogitsLoss, fromTyped, huberLoss, inBatchSoftmaxLoss, mseLoss, pairwiseRankingLoss, softmaxCrossEntropyLoss, tensor, tidy, valueAndGrads, type Tensor } from '../index.js';
import { maxAbsDiff, torchFixtures } from '../testing/fixtures.js';

const fx = torchFixtures();
const f32 = (a: number[]) => Float32Array.from(a);

function lossAndGrad(f: (x: Tensor) => Tensor, x: number[], shape: number[]): { loss: number; grad: number[] } {
  return tidy(() => {
    const t = tensor(f32(x), shape);
    const { value, grads } = valueAndGrads(() => f(t), [t]);
    return { loss: value.item(), grad: grads[0].toArray() };
  });
}

describe('losses vs PyTorch', () => {
  it('softmax cross-entropy', () => {
    const c = fx.softmax_ce;
    const r = lossAndGrad((x) => softmaxCrossEntropyLoss(x, fromTyped(Int32Array.from(c.labels), [4])), c.logits, [4, 5]);
    expect(r.loss).toBeCloseTo(c.loss, 5);
    expect(maxAbsDiff(r.grad, c.dlogits)).toBeLessThan(1e-6);
  });
  it('BCE with logits (soft labels too)', () => {
    const c = fx.bce;
    const r = lossAndGrad((x) => bceWithLogitsLoss(x, tensor(f32(c.labels))), c.logits, [6]);
    expect(r.loss).toBeCloseTo(c.loss, 5);
    expect(maxAbsDiff(r.grad, c.dlogits)).toBeLessThan(1e-6);
  });
  it('Huber', () => {
    const c = fx.huber;
    const r = lossAndGrad((x) => huberLoss(x, tensor(f32(c.target)), c.delta), c.pred, [7]);
    expect(r.loss).toBeCloseTo(c.loss, 5);
    expect(maxAbsDiff(r.grad, c.dpred)).toBeLessThan(1e-6);
  });
  it('MSE', () => {
    const c = fx.mse;
    const r = lossAndGrad((x) => mseLoss(x, tensor(f32(c.target))), c.pred, [5]);
    expect(r.loss).toBeCloseTo(c.loss, 5);
    expect(maxAbsDiff(r.grad, c.dpred)).toBeLessThan(1e-6);
  });
  it('pairwise ranking (RankNet) within query groups', () => {
    const c = fx.pairwise;
    const r = lossAndGrad((x) => pairwiseRankingLoss(x, c.labels, c.groups), c.scores, [7]);
    expect(r.loss).toBeCloseTo(c.loss, 5);
    expect(maxAbsDiff(r.grad, c.dscores)).toBeLessThan(1e-6);
  });
  it('pairwise ranking is 0 with a zero gradient when no pair is ordered', () => {
    const r = lossAndGrad((x) => pairwiseRankingLoss(x, [1, 1], [0, 0]), [0.3, -2], [2]);
    expect(Math.abs(r.loss)).toBe(0);
    expect(r.grad.map(Math.abs)).toEqual([0, 0]);
  });
  it('in-batch softmax: matching pairs score low loss, shuffled pairs high', () => {
    tidy(() => {
      const u = tensor([[1, 0], [0, 1], [-1, 0]]);
      const good = inBatchSoftmaxLoss(u, u, 0.1).item();
      const bad = inBatchSoftmaxLoss(u, tensor([[0, 1], [-1, 0], [1, 0]]), 0.1).item();
      expect(good).toBeLessThan(0.01);
      expect(bad).toBeGreaterThan(5);
    });
  });
});
