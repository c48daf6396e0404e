// Every kernel of the 'cuda' backend against the CPU reference backend on the same random inputs,
// with strict float32 GEMM (precision 'fp32'); then TF32/bf16 GEMM within their own tolerances, and
// gradients. Tolerances (|gpu − ref| ≤ tol · max(1, |ref|) unless said otherwise):
//   exact (0)     copies, gathers, casts, one-hot, ReLU and its gradients, + − × max min neg square abs
//                 (IEEE float32 ops: a double computed then rounded to float32 is the same number)
//   1e-6          ÷, sqrt, reciprocal and transcendental (CUDA's expf/tanhf/logf are ≤ 2 ulp off libm)
//   1e-5          reductions, softmax, cross-entropy, LayerNorm pieces, optimizer updates (the device
//                 sums in a different order than the reference's sequential float64 loop)
//   GEMM fp32     2e-6·√K·Σ|a·b| scale;  TF32 2e-3·Σ_k|a_ik·b_kj|;  bf16 1e-2·Σ_k|a_ik·b_kj|
// Without a GPU this runs on the host emulator of the addon (testing/cuda-under-test.ts says so).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Random, add, createCpuBackend, fromTyped, gather, getBackend, matMul, ops, relu, reshape, setBackend, tensor, tidy, useFloat64StorageForTests, zeros,
  valueAndGrads, type Backend, type KernelTensor, type Tensor,
} from '@atelier/engine';
import { checkGradients } from '@atelier/engine/testing/grad-check';
import { GPU_BACKEND_NAME, GPU_KERNELS, type GpuPrecision } from './index.js';
import { dropoutMask } from './philox.js';
import { addonUnderTest, registerCudaVariant, useCudaForTests, type CudaUnderTest } from './testing/cuda-under-test.js';

type In = { shape: number[]; dtype?: 'float32' | 'int32'; values: ArrayLike<number> };
type Result = { outs: Float64Array[]; shapes: number[][]; dtypes: string[]; inputs: Float64Array[] };

function run(b: Backend, name: string, inputs: In[], attrs: object): Result {
  const ts: KernelTensor[] = inputs.map((x) => {
    const dtype = x.dtype ?? 'float32';
    const values = dtype === 'int32' ? Int32Array.from(x.values) : Float32Array.from(x.values);
    return { dataId: b.write(values, x.shape, dtype), shape: x.shape, dtype };
  });
  const k = b.kernels[name];
  if (!k) throw new Error(`${b.name} has no kernel ${name}`);
  const outs = k(ts, attrs, b);
  const res = {
    outs: outs.map((o) => Float64Array.from(b.read(o.dataId))),
    shapes: outs.map((o) => o.shape),
    dtypes: outs.map((o) => o.dtype),
    inputs: ts.map((t) => Float64Array.from(b.read(t.dataId))),
  };
  for (const t of [...ts, ...outs]) b.dispose(t.dataId);
  return res;
}

const rng = new Random(20);
const normal = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);
const positive = (n: number) => Float32Array.from({ length: n }, () => Math.abs(rng.normal()) + 0.05);
const ids = (n: number, lo: number, hi: number) => Int32Array.from({ length: n }, () => lo + Math.floor(rng.next() * (hi - lo)));

function expectClose(got: Float64Array, want: Float64Array, tol: number | ((i: number) => number), what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue;
    const t = typeof tol === 'number' ? tol * Math.max(1, Math.abs(want[i])) : tol(i);
    if (!(Math.abs(got[i] - want[i]) <= t)) throw new Error(`${what}: [${i}] cuda ${got[i]} vs reference ${want[i]} (tolerance ${t})`);
  }
}

/** Σ_k |a_ik·b_kj| per output: the scale of a dot product's rounding error. */
function absProducts(M: number, N: number, K: number, a: ArrayLike<number>, tA: boolean, b: ArrayLike<number>, tB: boolean): Float64Array {
  const s = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let acc = 0;
    for (let k = 0; k < K; k++) acc += Math.abs((tA ? a[k * M + i] : a[i * K + k]) * (tB ? b[j * K + k] : b[k * N + j]));
    s[i * N + j] = acc;
  }
  return s;
}

let gpu: CudaUnderTest;
let cuda: Backend;
const ref = createCpuBackend();
const exercised = new Set<string>();

function check(name: string, inputs: In[], attrs: object, tol: number | ((i: number) => number) = 0): void {
  exercised.add(name);
  const g = run(cuda, name, inputs, attrs), r = run(ref, name, inputs, attrs);
  expect(g.shapes, `${name} shapes`).toEqual(r.shapes);
  expect(g.dtypes, `${name} dtypes`).toEqual(r.dtypes);
  g.outs.forEach((o, i) => expectClose(o, r.outs[i], tol, `${name} output ${i}`));
  // In-place kernels (optimizers) mutate their inputs: those must match too.
  g.inputs.forEach((o, i) => expectClose(o, r.inputs[i], tol, `${name} input ${i} after the call`));
}

beforeAll(async () => {
  gpu = await useCudaForTests({ precision: 'fp32', cudaGraphs: false });
  cuda = getBackend();
  expect(getBackend().name).toBe(GPU_BACKEND_NAME);
  expect(gpu.precision).toBe('fp32');
});

describe("'cuda' kernels vs the CPU reference (precision fp32)", () => {
  it('MatMul: every transpose × every epilogue, odd shapes (tolerance 2e-6·√K·Σ|a·b|)', () => {
    for (const [M, K, N] of [[1, 1, 1], [5, 7, 3], [33, 65, 17], [127, 129, 63], [256, 64, 256]]) {
      for (const transposeA of [false, true]) for (const transposeB of [false, true]) for (const activation of ['none', 'relu', 'sigmoid', 'tanh']) {
        for (const withBias of [false, true]) {
          const a = { shape: transposeA ? [K, M] : [M, K], values: normal(M * K) };
          const b = { shape: transposeB ? [N, K] : [K, N], values: normal(K * N) };
          const scale = absProducts(M, N, K, a.values, transposeA, b.values, transposeB);
          const inputs = withBias ? [a, b, { shape: [N], values: normal(N) }] : [a, b];
          check('MatMul', inputs, { transposeA, transposeB, activation }, (i) => 2e-6 * Math.sqrt(K) * Math.max(1, scale[i]));
        }
      }
    }
  });

  it('unary kernels, NaN and ±large values included', () => {
    const x = normal(7 * 13, 3);
    x[0] = Number.NaN; x[1] = 80; x[2] = -80; x[3] = 0;
    for (const name of ['Relu', 'Neg', 'Square', 'Abs', 'Sign', 'Step', 'IsFinite']) check(name, [{ shape: [7, 13], values: x }], {});
    for (const name of ['Sigmoid', 'Tanh', 'Exp', 'Softplus', 'Gelu']) check(name, [{ shape: [7, 13], values: x }], {}, 1e-6);
    const p = positive(91);
    for (const name of ['Log', 'Sqrt', 'Reciprocal']) check(name, [{ shape: [91], values: p }], {}, 1e-6);
  });

  it('binary kernels: same shape, scalar, row, column, outer and rank-4 broadcasts', () => {
    const shapes: [number[], number[]][] = [
      [[4, 5], [4, 5]], [[4, 5], []], [[], [3, 2]], [[4, 5], [5]], [[4, 5], [1, 5]], [[4, 5], [4, 1]], [[4, 1], [1, 5]],
      [[3], [1, 1]], [[2, 3, 5], [2, 3, 1]], [[2, 1, 4, 3], [1, 5, 1, 3]], [[7, 1, 9], [1, 6, 1]], [[0, 3], [3]],
    ];
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    for (const [sa, sb] of shapes) {
      for (const name of ['Add', 'Sub', 'Mul', 'Maximum', 'Minimum', 'Equal', 'Greater', 'GreaterEqual']) {
        check(name, [{ shape: sa, values: normal(size(sa)) }, { shape: sb, values: normal(size(sb)) }], {});
      }
      check('Div', [{ shape: sa, values: normal(size(sa)) }, { shape: sb, values: positive(size(sb)) }], {}, 1e-6);
      check('Pow', [{ shape: sa, values: positive(size(sa)) }, { shape: sb, values: normal(size(sb)) }], {}, 1e-5);
    }
  });

  it('BroadcastTo, Cast, Identity, Transpose, Concat, Slice, Pad (copies: exact)', () => {
    check('BroadcastTo', [{ shape: [], values: [2.5] }], { shape: [4, 3] });
    check('BroadcastTo', [{ shape: [3], values: normal(3) }], { shape: [5, 3] });
    check('BroadcastTo', [{ shape: [4, 1], values: normal(4) }], { shape: [4, 7] });
    check('BroadcastTo', [{ shape: [1, 3, 1], values: normal(3) }], { shape: [2, 3, 5] });
    check('Cast', [{ shape: [9], values: Float32Array.from(normal(9, 5)) }], { dtype: 'int32' });
    check('Cast', [{ shape: [4], dtype: 'int32', values: [-3, 0, 7, 2 ** 20] }], { dtype: 'float32' });
    check('Identity', [{ shape: [3, 3], values: normal(9) }], {});
    check('Transpose', [{ shape: [37, 19], values: normal(37 * 19) }], { perm: [1, 0] });
    check('Transpose', [{ shape: [2, 3, 4, 5], values: normal(120) }], { perm: [3, 1, 0, 2] });
    const a = { shape: [3, 4, 2], values: normal(24) };
    check('Concat', [a, { shape: [3, 1, 2], values: normal(6) }], { axis: 1 });
    check('Concat', [{ shape: [2, 3], values: normal(6) }, { shape: [2, 1], values: normal(2) }, { shape: [2, 0], values: [] }], { axis: 1 });
    check('Concat', [{ shape: [2, 3], values: normal(6) }, { shape: [5, 3], values: normal(15) }], { axis: 0 });
    check('Concat', [{ shape: [2], dtype: 'int32', values: [1, 2] }, { shape: [1], dtype: 'int32', values: [3] }], { axis: 0 });
    const m = { shape: [5, 7], values: normal(35) };
    check('Slice', [m], { begin: [1, 2], size: [3, 4] });
    check('Slice', [m], { begin: [4, 0], size: [0, 7] });
    check('Slice', [a], { begin: [0, 1, 0], size: [2, 2, 2] });
    check('Pad', [m], { before: [1, 0], after: [2, 3] });
    check('Pad', [a], { before: [0, 2, 1], after: [1, 0, 0] });
  });

  it('reductions: Sum, Max over each axis and all axes, ArgMax (1e-5)', () => {
    const x = { shape: [50, 7, 3], values: normal(1050) };
    for (const keepDims of [false, true]) for (const axes of [[0], [1], [2], [0, 1], [1, 2], [0, 1, 2]]) {
      check('Sum', [x], { axes, keepDims }, 1e-5);
      check('Max', [x], { axes, keepDims });
    }
    check('Sum', [{ shape: [100003], values: normal(100003) }], { axes: [0], keepDims: false }, 1e-5);
    check('ArgMax', [{ shape: [13, 11], values: normal(143) }], {});
    check('ReluGrad', [{ shape: [37, 19], values: normal(703) }, { shape: [37, 19], values: normal(703) }], {});
    check('ReluGradBiasSum', [{ shape: [129, 33], values: normal(129 * 33) }, { shape: [129, 33], values: normal(129 * 33) }], {}, 1e-5);
  });

  it('softmax, log-softmax, sparse softmax cross-entropy, BCE with logits, one-hot (1e-5)', () => {
    const logits = Float32Array.from(normal(7 * 5), (v, i) => (i % 6 === 0 ? v * 80 : v));
    for (const name of ['Softmax', 'LogSoftmax']) {
      check(name, [{ shape: [7, 5], values: logits }], {}, 1e-5);
      check(name, [{ shape: [2, 3, 1000], values: normal(6000, 4) }], {}, 1e-5);
      check(name, [{ shape: [4, 1], values: normal(4) }], {}, 1e-5);
    }
    check('SparseSoftmaxCrossEntropy', [{ shape: [7, 5], values: logits }, { shape: [7], dtype: 'int32', values: [0, 4, 2, 1, 3, 0, 4] }], {}, 1e-5);
    check('SparseSoftmaxCrossEntropy', [{ shape: [300, 97], values: normal(300 * 97, 3) }, { shape: [300], dtype: 'int32', values: ids(300, 0, 97) }], {}, 1e-5);
    expect(() => run(cuda, 'SparseSoftmaxCrossEntropy', [{ shape: [2, 3], values: normal(6) }, { shape: [2], dtype: 'int32', values: [1, 3] }], {}))
      .toThrow(/label 3 at row 1 is outside \[0, 3\)/);
    const z = Float32Array.from(normal(257), (v, i) => (i % 9 === 0 ? v * 60 : v));
    check('BceWithLogits', [{ shape: [257, 1], values: z }, { shape: [257, 1], values: Float32Array.from({ length: 257 }, (_, i) => i % 2) }], {}, 1e-5);
    check('OneHot', [{ shape: [2, 4], dtype: 'int32', values: [0, 3, -1, 9, 2, 2, 1, 0] }], { depth: 4 });
  });

  it('embedding gather and scatter-add with duplicates and padding ids (-1)', () => {
    const table = { shape: [50, 9], values: normal(450) };
    const gids = ids(3 * 17, -1, 50);
    gids[0] = -1; gids[20] = -1; gids[50] = 49; gids[7] = gids[8]; // padding, last row, a duplicate
    check('Gather', [table, { shape: [3, 17], dtype: 'int32', values: gids }], {});
    const sids = Int32Array.from([3, 0, -1, 3, 1, 3, 49, -1, 0]);
    check('ScatterAdd', [{ shape: [9, 9], values: normal(81) }, { shape: [9], dtype: 'int32', values: sids }], { numRows: 50 }, 1e-6);
    expect(() => run(cuda, 'Gather', [table, { shape: [2], dtype: 'int32', values: [1, 50] }], {})).toThrow(/id 50 at position 1 is outside the table's 50 rows/);
    expect(() => run(cuda, 'ScatterAdd', [{ shape: [1, 9], values: normal(9) }, { shape: [1], dtype: 'int32', values: [50] }], { numRows: 50 }))
      .toThrow(/row 50 .*outside \[0, 50\)/);
  });

  it('sparse optimizer rows: CoalesceRows (duplicates, padding) then Adam/AdamW/SGD/Adagrad on padded rows (1e-5)', () => {
    // The device's CoalesceRows keeps a static size for CUDA Graphs (native/kernels.h): the distinct
    // rows ascending, then -1 padding and zero values. The optimizers take such padded rows.
    const coalesce = (rows: number[], d: number) => {
      exercised.add('CoalesceRows');
      const inputs: In[] = [{ shape: [rows.length], dtype: 'int32', values: rows }, { shape: [rows.length, d], values: normal(rows.length * d) }];
      const g = run(cuda, 'CoalesceRows', inputs, {}), r = run(ref, 'CoalesceRows', inputs, {});
      const count = r.shapes[0][0];
      expect(g.shapes[0][0], 'static size: all input rows').toBeGreaterThanOrEqual(count);
      expectClose(g.outs[0].subarray(0, count), r.outs[0], 0, 'CoalesceRows rows');
      expect(Array.from(g.outs[0].subarray(count)).every((v) => v === -1), 'padding rows are -1').toBe(true);
      expectClose(g.outs[1].subarray(0, count * d), r.outs[1], 1e-6, 'CoalesceRows sums');
      expect(Array.from(g.outs[1].subarray(count * d)).every((v) => v === 0), 'padding values are 0').toBe(true);
      return { rows: g.outs[0], values: g.outs[1], count };
    };
    coalesce([2, 2], 3);
    coalesce([-1, -1], 3);
    const D = 6;
    const { rows, values, count } = coalesce([5, 2, 5, -1, 0, 2, 5, 9, 0, -1], D);
    const k = rows.length;
    expect(count).toBeLessThan(k);
    /** Same update on cuda (padded rows) and the reference (distinct rows only): params and state must agree. */
    const update = (name: string, state: number, attrs: object) => {
      exercised.add(name);
      const p = normal(10 * D), st = Array.from({ length: state }, () => positive(10 * D));
      const padded: In[] = [{ shape: [10, D], values: p }, { shape: [k, D], values: values }, ...st.map((v) => ({ shape: [10, D], values: v })), { shape: [k], dtype: 'int32', values: rows }];
      const exact: In[] = [{ shape: [10, D], values: p }, { shape: [count, D], values: values.subarray(0, count * D) }, ...st.map((v) => ({ shape: [10, D], values: v })), { shape: [count], dtype: 'int32', values: rows.subarray(0, count) }];
      const g = run(cuda, name, padded, attrs), r = run(ref, name, exact, attrs);
      for (const i of [0, ...st.map((_, j) => 2 + j)]) expectClose(g.inputs[i], r.inputs[i], 1e-5, `${name} (sparse, padded) input ${i}`);
    };
    const adamAttrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, l2: 0.01, weightDecay: 0.1 };
    for (const name of ['AdamUpdate', 'AdamWUpdate']) {
      update(name, 2, adamAttrs);
      check(name, [{ shape: [10, D], values: normal(60) }, { shape: [10, D], values: normal(60) }, { shape: [10, D], values: normal(60) }, { shape: [10, D], values: positive(60) }], adamAttrs, 1e-5);
    }
    for (const nesterov of [false, true]) {
      const sgd = { lr: 0.1, momentum: 0.9, nesterov, l2: 0.001 };
      update('SgdMomentumUpdate', 1, sgd);
      check('SgdMomentumUpdate', [{ shape: [10, D], values: normal(60) }, { shape: [10, D], values: normal(60) }, { shape: [10, D], values: normal(60) }], sgd, 1e-5);
    }
    update('AdagradUpdate', 1, { lr: 0.1, eps: 1e-8, l2: 0 });
    check('AdagradUpdate', [{ shape: [10, D], values: normal(60) }, { shape: [10, D], values: normal(60) }, { shape: [10, D], values: positive(60) }], { lr: 0.1, eps: 1e-8, l2: 0.01 }, 1e-5);
  });

  it('shape errors name the shapes; a bad id is reported (asynchronously: at the next read) with its position', () => {
    // The engine's 'errors name the shapes' test, which vitest.engine-suite.config.ts leaves out on a device.
    tidy(() => {
      expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/\[2,3\].*\[4\]/);
      expect(() => matMul(zeros([2, 3]), zeros([4, 5]))).toThrow(/\[2,3\].*\[4,5\].*3 vs 4/);
      expect(() => reshape(zeros([2, 3]), [4])).toThrow(/\[2,3\]/);
      expect(() => gather(zeros([3, 2]), fromTyped(Int32Array.from([5]), [1])).dataSync()).toThrow(/id 5 at position 0/);
      // The error was taken: the next read succeeds.
      expect(Array.from(add(zeros([2]), 1).dataSync())).toEqual([1, 1]);
    });
  });

  it('covers every kernel the backend runs on the device', () => {
    // Runs after the kernel tests above (vitest runs a file's tests in order).
    const onDevice = Object.keys(cuda.kernels).filter((n) => cuda.kernels[n]);
    expect(new Set(onDevice)).toEqual(new Set(GPU_KERNELS));
    const missing = GPU_KERNELS.filter((n) => !exercised.has(n));
    expect(missing, 'kernels of the cuda backend no parity test ran').toEqual([]);
  });
});

describe('dropout (the addon: the backend keeps the engine\'s host-seeded dropout) vs the Philox twin', () => {
  it('mask and output equal src/philox.ts exactly, at offsets that split a Philox block, and for a mask-only call', async () => {
    const addon = await addonUnderTest();
    const n = 10_007;
    const x = normal(n);
    const bytes = n * 4;
    const [px, po, pm] = [addon.malloc(bytes), addon.malloc(bytes), addon.malloc(bytes)];
    try {
      addon.upload(px, x);
      for (const [keep, seed, offset] of [[0.9, 12345, 0], [0.5, 2 ** 40 + 7, 3], [0.1, 1, 2 ** 33 + 1], [1, 99, 5]] as const) {
        addon.dropout(px, po, pm, n, keep, seed, offset);
        const mask = new Float32Array(n), out = new Float32Array(n);
        addon.download(pm, mask);
        addon.download(po, out);
        const want = dropoutMask(n, keep, seed, offset);
        expectClose(Float64Array.from(mask), Float64Array.from(want), 0, `dropout mask keep=${keep} seed=${seed} offset=${offset}`);
        expectClose(Float64Array.from(out), Float64Array.from(x, (v, i) => Math.fround(v * want[i])), 0, `dropout out keep=${keep}`);
        const kept = want.reduce((a, m) => a + (m > 0 ? 1 : 0), 0) / n;
        expect(Math.abs(kept - keep), `kept fraction ${kept} for keep ${keep}`).toBeLessThan(0.02);
      }
      addon.dropout(0, 0, pm, n, 0.7, 5, 11);
      const mask = new Float32Array(n);
      addon.download(pm, mask);
      expectClose(Float64Array.from(mask), Float64Array.from(dropoutMask(n, 0.7, 5, 11)), 0, 'mask-only dropout');
    } finally {
      for (const p of [px, po, pm]) addon.free(p);
    }
  });
});

describe('gradients on cuda', () => {
  it('finite differences through the backend (float64 storage: the backend defers to the reference kernels there)', () => {
    useFloat64StorageForTests(true);
    try {
      const r = new Random(3);
      const vals = (n: number) => Array.from({ length: n }, () => r.normal());
      const cases: [string, (xs: Tensor[]) => Tensor, { shape: number[]; values: number[] }[]][] = [
        ['matMul+relu', ([a, b]) => relu(matMul(a, b)), [{ shape: [3, 4], values: vals(12) }, { shape: [4, 2], values: vals(8) }]],
        ['softmax', ([a]) => ops.softmax(a), [{ shape: [2, 5], values: vals(10) }]],
        ['tanh·sigmoid', ([a, b]) => ops.mul(ops.tanh(a), ops.sigmoid(b)), [{ shape: [6], values: vals(6) }, { shape: [6], values: vals(6) }]],
      ];
      for (const [what, f, inputs] of cases) {
        expect(getBackend().name).toBe(GPU_BACKEND_NAME);
        const res = checkGradients(f, inputs);
        expect(res.maxRelError, what).toBeLessThan(1e-6);
      }
    } finally {
      useFloat64StorageForTests(false);
    }
  });

  it("analytic gradients of composite ops in float32: 'cuda' vs 'cpu' (1e-5)", () => {
    const r = new Random(8);
    const x = Float32Array.from({ length: 33 * 17 }, () => r.normal());
    const w = Float32Array.from({ length: 17 * 9 }, () => r.normal() * 0.3);
    const bias = Float32Array.from({ length: 9 }, () => r.normal());
    const table = Float32Array.from({ length: 12 * 9 }, () => r.normal());
    const idx = Int32Array.from({ length: 33 }, (_, i) => (i * 7) % 12);
    const labels = Int32Array.from({ length: 33 }, (_, i) => i % 9);
    const grads = (backend: string): Float64Array[] => {
      setBackend(backend);
      return tidy(() => {
        const vs = [tensor(w, [17, 9]), tensor(bias, [9]), tensor(table, [12, 9])];
        const { value, grads: gs } = valueAndGrads(() => {
          const h = ops.add(ops.relu(ops.add(matMul(tensor(x, [33, 17]), vs[0]), vs[1])), ops.gather(vs[2], tensor(idx, [33], 'int32')));
          const logits = ops.mul(ops.tanh(h), 3);
          return ops.mean(ops.sparseSoftmaxCrossEntropy(logits, tensor(labels, [33], 'int32')));
        }, vs);
        return [Float64Array.of(value.item()), ...gs.map((gr) => Float64Array.from(gr.dataSync()))];
      });
    };
    const onCpu = grads('cpu');
    const onCuda = grads(GPU_BACKEND_NAME);
    onCuda.forEach((g, i) => expectClose(g, onCpu[i], 1e-5, i === 0 ? 'loss' : `gradient ${i - 1}`));
  });
});

describe('GEMM precisions (TF32, bf16) within their tolerances', () => {
  // A second backend on the same addon and device at each precision: the process's 'cuda' backend
  // keeps the precision of its first useGpu.
  it.each([['tf32', 2e-3], ['bf16', 1e-2]] as [GpuPrecision, number][])('%s: |c − ref| ≤ %s·Σ|a·b|, epilogues included', async (precision, tol) => {
    await registerCudaVariant(`cuda-${precision}`, { precision, cudaGraphs: false });
    const backend = setBackend(`cuda-${precision}`);
    setBackend(GPU_BACKEND_NAME);
    let worst = 0;
    for (const [M, K, N] of [[5, 7, 3], [127, 129, 63], [256, 512, 128]]) for (const transposeA of [false, true]) for (const transposeB of [false, true]) {
      for (const activation of ['none', 'relu', 'tanh']) {
        const a = normal(M * K), b = normal(K * N), bias = normal(N);
        const inputs = [{ shape: transposeA ? [K, M] : [M, K], values: a }, { shape: transposeB ? [N, K] : [K, N], values: b }, { shape: [N], values: bias }];
        const scale = absProducts(M, N, K, a, transposeA, b, transposeB);
        const g = run(backend, 'MatMul', inputs, { transposeA, transposeB, activation }), r = run(ref, 'MatMul', inputs, { transposeA, transposeB, activation });
        expectClose(g.outs[0], r.outs[0], (i) => tol * Math.max(1, scale[i]), `${precision} MatMul ${M}x${K}x${N} ${transposeA}${transposeB} ${activation}`);
        for (let i = 0; i < r.outs[0].length; i++) worst = Math.max(worst, Math.abs(g.outs[0][i] - r.outs[0][i]) / Math.max(1, scale[i]));
      }
    }
    console.info(`[kernel parity] ${precision} GEMM: worst |error|/Σ|a·b| = ${worst.toExponential(2)} (tolerance ${tol})`);
  });
});
