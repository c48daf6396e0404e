// Finite-difference checks (float64 storage) for every differentiable kernel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../backends/cpu/cpu-backend.js';
import { useFloat64StorageForTests } from '../kernels/float-storage.js';
import * as o from '../ops/index.js';
import { checkGradients } from '../testing/grad-check.js';
import { memory } from '../engine.js';
import { gradientKernels } from './registry.js';
import './backprop.js';

const covered = new Set<string>();
const nonDifferentiable = new Set(['Greater', 'GreaterEqual', 'Equal', 'Step', 'Sign', 'IsFinite', 'Cast', 'ArgMax', 'CoalesceRows', 'OneHot', 'ReluGrad']);

function vals(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}
const inp = (shape: number[], seed: number, lo = -1, hi = 1) => ({ shape, values: vals(shape.reduce((a, b) => a * b, 1), seed, lo, hi) });
const ids = (shape: number[], values: number[]) => ({ shape, values, dtype: 'int32' as const });

function check(kernels: string[], name: string, f: Parameters<typeof checkGradients>[0], inputs: Parameters<typeof checkGradients>[1], tol = 1e-6) {
  it(`${name} (${kernels.join(', ')})`, () => {
    const r = checkGradients(f, inputs);
    expect(r.maxRelError).toBeLessThan(tol);
    for (const k of kernels) covered.add(k);
  });
}

beforeAll(() => useFloat64StorageForTests(true));
afterAll(() => useFloat64StorageForTests(false));

describe('gradient checks', () => {
  check(['Add'], 'add with broadcasting', ([a, b]) => o.add(a, b), [inp([3, 4], 1), inp([4], 2)]);
  check(['Sub'], 'sub with broadcasting', ([a, b]) => o.sub(a, b), [inp([3, 1], 3), inp([2, 1, 4], 4)]);
  check(['Mul'], 'mul', ([a, b]) => o.mul(a, b), [inp([2, 3], 5), inp([2, 3], 6)]);
  check(['Div'], 'div', ([a, b]) => o.div(a, b), [inp([2, 3], 7), inp([3], 8, 0.5, 2)]);
  check(['Maximum'], 'maximum', ([a, b]) => o.maximum(a, b), [inp([2, 5], 9), inp([2, 5], 10)]);
  check(['Minimum'], 'minimum', ([a, b]) => o.minimum(a, b), [inp([2, 5], 11), inp([2, 5], 12)]);
  check(['Pow'], 'pow', ([a, b]) => o.pow(a, b), [inp([2, 3], 13, 0.5, 2), inp([2, 3], 14, -1, 2)]);
  check(['Neg'], 'neg', ([a]) => o.neg(a), [inp([5], 15)]);
  check(['Exp'], 'exp', ([a]) => o.exp(a), [inp([5], 16)]);
  check(['Log'], 'log', ([a]) => o.log(a), [inp([5], 17, 0.2, 3)]);
  check(['Sqrt'], 'sqrt', ([a]) => o.sqrt(a), [inp([5], 18, 0.2, 3)]);
  check(['Abs'], 'abs', ([a]) => o.abs(a), [inp([6], 19)]);
  check(['Square'], 'square', ([a]) => o.square(a), [inp([5], 20)]);
  check(['Reciprocal'], 'reciprocal', ([a]) => o.reciprocal(a), [inp([5], 21, 0.5, 2)]);
  check(['Relu'], 'relu', ([a]) => o.relu(a), [inp([8], 22)]);
  check(['Sigmoid'], 'sigmoid', ([a]) => o.sigmoid(a), [inp([5], 23, -4, 4)]);
  check(['Tanh'], 'tanh', ([a]) => o.tanh(a), [inp([5], 24, -2, 2)]);
  check(['Gelu'], 'gelu', ([a]) => o.gelu(a), [inp([7], 25, -3, 3)]);
  check(['Softplus'], 'softplus', ([a]) => o.softplus(a), [inp([7], 26, -5, 5)]);
  check(['BroadcastTo'], 'broadcastTo', ([a]) => o.broadcastTo(a, [3, 2, 4]), [inp([2, 1], 27)]);
  check(['Identity'], 'identity (cast to same dtype)', ([a]) => o.cast(a, 'float32'), [inp([3], 28)]);
  check(['Sum'], 'sum over axes', ([a]) => o.sum(a, [0, 2], true), [inp([2, 3, 4], 29)]);
  check(['Max'], 'max over last axis', ([a]) => o.max(a, -1), [inp([3, 5], 30)]);
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      check(['MatMul'], `matMul tA=${tA} tB=${tB}`, ([a, b]) => o.matMul(a, b, { transposeA: tA, transposeB: tB }), [inp(tA ? [4, 3] : [3, 4], 31), inp(tB ? [5, 4] : [4, 5], 32)]);
    }
  }
  for (const act of ['none', 'relu', 'sigmoid', 'tanh'] as const) {
    check(['MatMul'], `matMul + bias + ${act}`, ([a, b, c]) => o.matMul(a, b, { bias: c, activation: act }), [inp([6, 5], 33), inp([5, 7], 34), inp([7], 35)]);
  }
  check(['MatMul'], 'matMul 9x13x11 (gemm edge tiles)', ([a, b]) => o.matMul(a, b), [inp([9, 13], 36), inp([13, 11], 37)]);
  check(['Softmax'], 'softmax', ([a]) => o.softmax(a), [inp([3, 4], 38, -2, 2)]);
  check(['LogSoftmax'], 'logSoftmax', ([a]) => o.logSoftmax(a), [inp([3, 4], 39, -2, 2)]);
  check(['SparseSoftmaxCrossEntropy'], 'sparse softmax CE', ([a, y]) => o.sparseSoftmaxCrossEntropy(a, y), [inp([4, 3], 40, -2, 2), ids([4], [0, 2, 1, 2])]);
  check(['BceWithLogits'], 'bce with logits', ([a, z]) => o.bceWithLogits(a, z), [inp([6], 41, -3, 3), inp([6], 42, 0, 1)]);
  check(['Gather'], 'gather (sparse rows, repeats and -1 padding)', ([t, i]) => o.gather(t, i), [inp([5, 3], 43), ids([2, 3], [1, 4, 1, -1, 0, 4])]);
  check(['ScatterAdd'], 'scatterAdd', ([v, r]) => o.scatterAdd(v, r, 4), [inp([5, 2], 44), ids([5], [3, 0, 3, -1, 1])]);
  check(['Reshape'], 'reshape', ([a]) => o.reshape(a, [3, 2]), [inp([2, 3], 45)]);
  check(['Transpose'], 'transpose 3-d', ([a]) => o.transpose(a, [2, 0, 1]), [inp([2, 3, 4], 46)]);
  check(['Concat'], 'concat axis 1', ([a, b]) => o.concat([a, b], 1), [inp([2, 3], 47), inp([2, 2], 48)]);
  check(['Slice'], 'slice', ([a]) => o.slice(a, [1, 1], [2, -1]), [inp([3, 4], 49)]);
  check(['Pad'], 'pad', ([a]) => o.pad(a, [1, 0], [0, 2]), [inp([2, 3], 50)]);

  it('covers every differentiable kernel and leaks nothing', () => {
    const missing = gradientKernels().filter((k) => !nonDifferentiable.has(k) && !covered.has(k));
    expect(missing).toEqual([]);
    expect(memory().numTensors).toBe(0);
  });
});
