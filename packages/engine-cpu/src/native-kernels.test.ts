// Every native kernel against the TS reference kernel on the same inputs. Tolerances: exact
// (same float32/float64 arithmetic in the same order) for elementwise, reductions, ReLU backward,
// gather/scatter; ≤ 1 float32 ulp-scale (rel 1e-6) where libm and V8 may differ in the last bit of a
// double transcendental (sigmoid, tanh, exp, BCE, softmax, Adam's pow/sqrt); GEMM rel 2e-6 of Σ|a·b|.
import { describe, expect, it } from 'vitest';
import { Random, createCpuBackend, type Backend, type KernelTensor } from '@atelier/engine';
import { createNativeCpuBackend } from './native-backend.js';
import { addon } from './testing/native-under-test.js';

type In = { shape: number[]; dtype?: 'float32' | 'int32'; values: ArrayLike<number> };

function run(b: Backend, name: string, inputs: In[], attrs: object): { outs: Float32Array[]; shapes: number[][]; inputs: Float32Array[] } {
  const ts: KernelTensor[] = inputs.map((x) => {
    const dtype = x.dtype ?? 'float32';
    const values = dtype === 'int32' ? Int32Array.from(x.values) : Float32Array.from(x.values);
    return { dataId: b.write(values, x.shape, dtype), shape: x.shape, dtype };
  });
  const outs = b.kernels[name]!(ts, attrs, b);
  return {
    outs: outs.map((o) => Float32Array.from(b.read(o.dataId))),
    shapes: outs.map((o) => o.shape),
    inputs: ts.map((t) => Float32Array.from(b.read(t.dataId))),
  };
}

const rng = new Random(11);
const normal = (n: number, nanAt = -1) => Float32Array.from({ length: n }, (_, i) => (i === nanAt ? Number.NaN : rng.normal()));

function expectClose(a: Float32Array, b: Float32Array, rel: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    if (rel === 0 || !(Math.abs(a[i] - b[i]) <= rel * Math.max(1, Math.abs(b[i])))) {
      throw new Error(`${what}: [${i}] native ${a[i]} vs reference ${b[i]}`);
    }
  }
}

describe.skipIf(!addon)('native kernels vs the TS reference', () => {
  const native = createNativeCpuBackend(addon!);
  const ref = createCpuBackend();
  const check = (name: string, inputs: In[], attrs: object, rel = 0) => {
    const n = run(native, name, inputs, attrs), r = run(ref, name, inputs, attrs);
    expect(n.shapes, name).toEqual(r.shapes);
    n.outs.forEach((o, i) => expectClose(o, r.outs[i], rel, `${name} output ${i}`));
    n.inputs.forEach((o, i) => expectClose(o, r.inputs[i], rel, `${name} input ${i} after the call`));
  };

  it('MatMul with every transpose and epilogue (float32 vs float64 accumulation)', () => {
    for (const [M, K, N] of [[1, 1, 1], [5, 7, 3], [64, 33, 19], [256, 64, 256]]) {
      for (const transposeA of [false, true]) for (const transposeB of [false, true]) for (const activation of ['none', 'relu', 'sigmoid', 'tanh']) {
        const a = { shape: transposeA ? [K, M] : [M, K], values: normal(M * K) };
        const b = { shape: transposeB ? [N, K] : [K, N], values: normal(K * N) };
        const inputs = activation === 'tanh' ? [a, b] : [a, b, { shape: [N], values: normal(N) }];
        check('MatMul', inputs, { transposeA, transposeB, activation }, 2e-6 * Math.sqrt(K) * 4);
      }
    }
  });

  it('binary ops: same shape, scalars, row broadcast; other broadcasts via the reference', () => {
    for (const name of ['Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum']) {
      check(name, [{ shape: [4, 5], values: normal(20, 3) }, { shape: [4, 5], values: normal(20) }], {});
      check(name, [{ shape: [4, 5], values: normal(20) }, { shape: [], values: normal(1) }], {});
      check(name, [{ shape: [1], values: normal(1) }, { shape: [3, 2], values: normal(6) }], {});
      check(name, [{ shape: [4, 5], values: normal(20) }, { shape: [5], values: normal(5) }], {});
      check(name, [{ shape: [4, 5], values: normal(20) }, { shape: [1, 5], values: normal(5) }], {});
      check(name, [{ shape: [4, 1], values: normal(4) }, { shape: [1, 5], values: normal(5) }], {});
      check(name, [{ shape: [3], values: normal(3) }, { shape: [1, 1], values: normal(1) }], {});
    }
  });

  it('BroadcastTo: scalar and row vector natively, other patterns via the reference', () => {
    check('BroadcastTo', [{ shape: [], values: [2.5] }], { shape: [4, 3] });
    check('BroadcastTo', [{ shape: [1, 1], values: [-1] }], { shape: [2, 5] });
    check('BroadcastTo', [{ shape: [3], values: normal(3) }], { shape: [4, 3] });
    check('BroadcastTo', [{ shape: [1, 3], values: normal(3) }], { shape: [2, 4, 3] });
    check('BroadcastTo', [{ shape: [4, 1], values: normal(4) }], { shape: [4, 3] });
    check('BroadcastTo', [{ shape: [1], values: [7] }], { shape: [0, 3] });
  });

  it('unary activations and ReLU backward (NaN passes through relu)', () => {
    for (const name of ['Relu', 'Neg', 'Square']) check(name, [{ shape: [3, 7], values: normal(21, 2) }], {});
    for (const name of ['Sigmoid', 'Tanh']) check(name, [{ shape: [3, 7], values: Float32Array.from(normal(21), (v) => v * 20) }], {}, 1e-6);
    expect(() => check('Add', [{ shape: [2], values: [1, 2] }, { shape: [2], values: [1, 2] }], {}), 'the check itself').not.toThrow();
    check('ReluGrad', [{ shape: [6, 4], values: normal(24, 5) }, { shape: [6, 4], values: normal(24, 7) }], {});
    check('ReluGradBiasSum', [{ shape: [33, 17], values: normal(33 * 17) }, { shape: [33, 17], values: normal(33 * 17) }], {});
  });

  it('Sum over the leading and the last axis (float64 accumulation, identical); other axes via the reference', () => {
    const x = { shape: [50, 7, 3], values: normal(1050) };
    for (const keepDims of [false, true]) {
      check('Sum', [x], { axes: [0], keepDims });
      check('Sum', [x], { axes: [2], keepDims });
      check('Sum', [x], { axes: [1], keepDims });
      check('Sum', [x], { axes: [0, 1, 2], keepDims });
      check('Sum', [{ shape: [9], values: normal(9) }], { axes: [0], keepDims });
    }
  });

  it('BCE with logits, large logits included', () => {
    const logits = Float32Array.from(normal(64), (v, i) => (i % 8 === 0 ? v * 60 : v));
    const labels = Float32Array.from({ length: 64 }, (_, i) => i % 2);
    check('BceWithLogits', [{ shape: [64, 1], values: logits }, { shape: [64, 1], values: labels }], {}, 1e-6);
  });

  it('softmax, log-softmax and sparse softmax cross-entropy, large logits included (rel 1e-6)', () => {
    const logits = Float32Array.from(normal(7 * 5), (v, i) => (i % 6 === 0 ? v * 80 : v));
    for (const name of ['Softmax', 'LogSoftmax']) {
      check(name, [{ shape: [7, 5], values: logits }], {}, 1e-6);
      check(name, [{ shape: [2, 3, 4], values: normal(24) }], {}, 1e-6);
      check(name, [{ shape: [4, 1], values: normal(4) }], {}, 1e-6);
    }
    check('SparseSoftmaxCrossEntropy', [{ shape: [7, 5], values: logits }, { shape: [7], dtype: 'int32', values: [0, 4, 2, 1, 3, 0, 4] }], {}, 1e-6);
    check('SparseSoftmaxCrossEntropy', [{ shape: [3, 1], values: normal(3) }, { shape: [3], dtype: 'int32', values: [0, 0, 0] }], {}, 1e-6);
    expect(() => check('SparseSoftmaxCrossEntropy', [{ shape: [2, 3], values: normal(6) }, { shape: [2], dtype: 'int32', values: [1, 3] }], {}))
      .toThrow('label 3 at row 1 is outside [0, 3)');
  });

  it('the softmax gradients\' pieces: exp, and [N,C] op [N,1] natively', () => {
    check('Exp', [{ shape: [3, 7], values: Float32Array.from(normal(21), (v) => v * 20) }], {}, 1e-6);
    for (const name of ['Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum']) {
      check(name, [{ shape: [4, 5], values: normal(20, 6) }, { shape: [4, 1], values: normal(4) }], {});
      check(name, [{ shape: [2, 3, 5], values: normal(30) }, { shape: [2, 3, 1], values: normal(6) }], {});
      check(name, [{ shape: [4, 1], values: normal(4) }, { shape: [4, 1], values: normal(4) }], {});
    }
  });

  it('CoalesceRows: duplicate rows summed in the reference order (identical), negative rows dropped', () => {
    const rows = [5, 2, 5, -1, 0, 2, 5, 9, 0];
    check('CoalesceRows', [{ shape: [9], dtype: 'int32', values: rows }, { shape: [9, 3], values: normal(27, 4) }], {});
    check('CoalesceRows', [{ shape: [4], dtype: 'int32', values: [3, 1, 3, 1] }, { shape: [4, 2, 2], values: normal(16) }], {});
    check('CoalesceRows', [{ shape: [2], dtype: 'int32', values: [-1, -1] }, { shape: [2, 3], values: normal(6) }], {});
    check('CoalesceRows', [{ shape: [0], dtype: 'int32', values: [] }, { shape: [0, 3], values: [] }], {});
  });

  it('Concat on every axis and 2-D Slice (copies: identical); int32 and other ranks via the reference', () => {
    const a = { shape: [3, 4, 2], values: normal(24, 1) }, b = { shape: [3, 1, 2], values: normal(6) };
    check('Concat', [a, b], { axis: 1 });
    check('Concat', [{ shape: [2, 3], values: normal(6) }, { shape: [2, 1], values: normal(2) }, { shape: [2, 0], values: [] }], { axis: 1 });
    check('Concat', [{ shape: [2, 3], values: normal(6) }, { shape: [4, 3], values: normal(12) }], { axis: 0 });
    check('Concat', [a, { shape: [3, 4, 1], values: normal(12) }], { axis: 2 });
    check('Concat', [{ shape: [2], dtype: 'int32', values: [1, 2] }, { shape: [1], dtype: 'int32', values: [3] }], { axis: 0 });
    const m = { shape: [5, 7], values: normal(35, 9) };
    check('Slice', [m], { begin: [1, 2], size: [3, 4] });
    check('Slice', [m], { begin: [0, 6], size: [5, 1] });
    check('Slice', [m], { begin: [4, 0], size: [0, 7] });
    check('Slice', [a], { begin: [0, 1, 0], size: [2, 2, 2] });
  });

  it('fused optimizer updates, dense and on sparse rows', () => {
    const adamAttrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, l2: 0.01, weightDecay: 0.1 };
    const dense = () => [{ shape: [8, 5], values: normal(40) }, { shape: [8, 5], values: normal(40) }, { shape: [8, 5], values: normal(40) }, { shape: [8, 5], values: Float32Array.from(normal(40), Math.abs) }];
    check('AdamUpdate', dense(), adamAttrs, 1e-6);
    check('AdamWUpdate', dense(), adamAttrs, 1e-6);
    const sparse = () => [
      { shape: [8, 5], values: normal(40) }, { shape: [3, 5], values: normal(15) }, { shape: [8, 5], values: normal(40) },
      { shape: [8, 5], values: Float32Array.from(normal(40), Math.abs) }, { shape: [3], dtype: 'int32' as const, values: [6, 0, 3] },
    ];
    check('AdamUpdate', sparse(), adamAttrs, 1e-6);
    check('AdamWUpdate', sparse(), adamAttrs, 1e-6);
    for (const nesterov of [false, true]) {
      const sgd = { lr: 0.1, momentum: 0.9, nesterov, l2: 0.001 };
      check('SgdMomentumUpdate', [{ shape: [8, 5], values: normal(40) }, { shape: [8, 5], values: normal(40) }, { shape: [8, 5], values: normal(40) }], sgd);
      check('SgdMomentumUpdate', [{ shape: [8, 5], values: normal(40) }, { shape: [2, 5], values: normal(10) }, { shape: [8, 5], values: normal(40) }, { shape: [2], dtype: 'int32', values: [7, 1] }], sgd);
    }
  });

  it('embedding gather (padding id → zero row) and scatter-add, with the reference errors', () => {
    const table = { shape: [6, 4], values: normal(24) };
    check('Gather', [table, { shape: [2, 3], dtype: 'int32', values: [5, -1, 0, 2, 2, 1] }], {});
    check('ScatterAdd', [{ shape: [5, 4], values: normal(20) }, { shape: [5], dtype: 'int32', values: [3, 0, -1, 3, 1] }], { numRows: 6 });
    expect(() => run(native, 'Gather', [table, { shape: [2], dtype: 'int32', values: [1, 6] }], {})).toThrow("gather: id 6 at position 1 is outside the table's 6 rows");
    expect(() => run(native, 'ScatterAdd', [{ shape: [1, 4], values: normal(4) }, { shape: [1], dtype: 'int32', values: [9] }], { numRows: 6 })).toThrow('scatterAdd: row 9 is outside [0, 6)');
  });
});
