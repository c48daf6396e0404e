// The 'cuda' backend against the engine's CPU reference, on the host emulator of the addon (no GPU
// on this machine: the emulator stands in for the addon's kernels, so these tests check the
// backend's dispatch, shapes, storage and launch arguments, not CUDA numerics). Tolerances: the
// emulator computes in float32 where the reference often accumulates in float64, hence 1e-5 relative
// for elementwise kernels and 1e-4 for reductions and GEMM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getKernel, kernelNames, Mlp, Optimizer, Random, WideDeep, abs, add, argMax, backendStatus, bceWithLogits, broadcastTo, coalesceRows, concat, div, equal, exp, fromTyped,
  gather, gelu, greater, greaterEqual, isFinite, log, logSoftmax, matMul, max, maximum, memory, minimum, mul, neg, oneHot, ops, pad,
  pow, reciprocal, registerBackend, relu, reluGrad, reluGradBiasSum, removeBackend, scatterAdd, setBackend, sigmoid, sign, slice, softmax,
  softplus, sparseSoftmaxCrossEntropy, sqrt, square, step, sub, sum, tanh, tidy, trainStep, transpose, useFloat64StorageForTests, Variable,
  type Tensor, type TypedArray,
} from '@atelier/engine';
import { asReferenceError, createGpuBackend, deviceErrorMessage, GPU_KERNELS, type GpuBackend } from './gpu-backend.js';
import { createExecutor } from './step-graphs.js';
import { createHostEmulator } from './testing/host-emulator.js';
import type { GpuAddon } from './gpu-addon.js';
import type { StepExecutor } from './step-executor.js';

const NAME = 'cuda-test';
let addon: GpuAddon;
let executor: StepExecutor;
let backend: GpuBackend;
const launched: string[] = [];

beforeAll(() => {
  addon = createHostEmulator();
  executor = createExecutor(addon, { memoryLimitBytes: null, cudaGraphs: false });
  // Records launch signatures (the planner's input) on the way through.
  const launch = executor.launch.bind(executor);
  executor.launch = (sig, run) => {
    launched.push(sig);
    launch(sig, run);
  };
  backend = createGpuBackend(addon, executor, { precision: 'fp32' });
  registerBackend(NAME, () => backend, -10);
});

afterAll(() => {
  setBackend('cpu');
  removeBackend(NAME);
});

const rng = new Random(7);
const randn = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * scale);
const randInt = (n: number, lo: number, hi: number): Int32Array => Int32Array.from({ length: n }, () => lo + rng.nextInt(hi - lo));
const sizeOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);

type Input = { values: TypedArray; shape: number[] };
const f32 = (shape: number[], scale = 1): Input => ({ values: randn(sizeOf(shape), scale), shape });
const i32 = (shape: number[], lo: number, hi: number): Input => ({ values: randInt(sizeOf(shape), lo, hi), shape });

/** Run `fn` on `backendName` with fresh tensors of `inputs`; the outputs' shapes, dtypes and values. */
function runOn(backendName: string, inputs: Input[], fn: (...xs: Tensor[]) => Tensor | Tensor[]): { shape: number[]; dtype: string; values: number[] }[] {
  setBackend(backendName);
  return tidy(() => {
    const xs = inputs.map((i) => fromTyped(i.values.slice() as TypedArray, [...i.shape]));
    const res = fn(...xs);
    return (Array.isArray(res) ? res : [res]).map((t) => ({ shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) }));
  });
}

function close(a: number, b: number, rtol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rtol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Same shapes, dtypes and values (within rtol) on the cpu reference and the cuda backend; and it ran on the device. */
function parity(inputs: Input[], fn: (...xs: Tensor[]) => Tensor | Tensor[], rtol = 1e-5): void {
  const before = JSON.stringify(backend.stats().fallbacks);
  const ref = runOn('cpu', inputs, fn);
  const dev = runOn(NAME, inputs, fn);
  setBackend('cpu');
  expect(JSON.stringify(backend.stats().fallbacks), 'a kernel fell back to the reference').toBe(before);
  expect(dev.length).toBe(ref.length);
  for (let k = 0; k < ref.length; k++) {
    expect(dev[k].shape).toEqual(ref[k].shape);
    expect(dev[k].dtype).toBe(ref[k].dtype);
    expect(dev[k].values.length).toBe(ref[k].values.length);
    for (let i = 0; i < ref[k].values.length; i++) {
      if (!close(dev[k].values[i], ref[k].values[i], rtol)) expect(dev[k].values[i], `output ${k} element ${i}`).toBe(ref[k].values[i]);
    }
  }
}

/** Every output of one kernel (ops return only some), straight through both kernel tables. */
function kernelParity(name: string, inputs: Input[], attrs: object, rtol: number): void {
  const ref = getKernel(name).reference(inputs.map((i) => ({ shape: i.shape, dtype: i.values instanceof Int32Array ? 'int32' : 'float32', values: i.values.slice() as TypedArray })), attrs);
  const kts = inputs.map((i) => ({ dataId: backend.write(i.values.slice() as TypedArray, i.shape, i.values instanceof Int32Array ? 'int32' : 'float32'), shape: i.shape, dtype: (i.values instanceof Int32Array ? 'int32' : 'float32') as 'int32' | 'float32' }));
  const dev = backend.kernels[name]!(kts, attrs, backend);
  expect(dev.map((o) => o.shape)).toEqual(ref.map((o) => o.shape));
  dev.forEach((o, k) => {
    const v = backend.read(o.dataId);
    v.forEach((x, i) => expect(close(x, ref[k].values[i], rtol), `output ${k}[${i}]: ${x} vs ${ref[k].values[i]}`).toBe(true));
    backend.dispose(o.dataId);
  });
  for (const t of kts) backend.dispose(t.dataId);
}

describe('cuda backend: storage', () => {
  it('tensors move between cpu and cuda, both dtypes, empty ones too', () => {
    setBackend('cpu');
    const a = fromTyped(Float32Array.of(1, -2, 3.5), [3]);
    const b = fromTyped(Int32Array.of(4, -5), [2]);
    const e = fromTyped(new Float32Array(0), [0, 3]);
    setBackend(NAME);
    const a2 = add(a, 1), b2 = ops.cast(b, 'float32'), e2 = add(e, 1);
    expect(Array.from(a2.dataSync())).toEqual([2, -1, 4.5]);
    expect(Array.from(b.dataSync())).toEqual([4, -5]);
    expect(Array.from(b2.dataSync())).toEqual([4, -5]);
    expect(e2.shape).toEqual([0, 3]);
    setBackend('cpu');
    const a3 = mul(a2, 2);
    expect(Array.from(a3.dataSync())).toEqual([4, -2, 9]);
    setBackend(NAME);
    expect(Array.from(sub(a3, a).dataSync())).toEqual([3, 0, 5.5]);
    setBackend('cpu');
    for (const t of [a, b, e, a2, b2, e2, a3]) t.dispose();
  });

  it('read returns a copy; overwrite and dispose work on device storage', () => {
    const id = backend.write(Float32Array.of(1, 2, 3), [3], 'float32');
    const h = backend.read(id);
    h[0] = 99;
    expect(Array.from(backend.read(id))).toEqual([1, 2, 3]);
    backend.overwrite(id, Float32Array.of(7, 8, 9));
    expect(Array.from(backend.read(id))).toEqual([7, 8, 9]);
    expect(() => backend.overwrite(id, Float32Array.of(1))).toThrow(/overwrite with 1 values/);
    backend.dispose(id);
    expect(backend.readsLiveStorage).toBe(false);
  });

  it('every engine kernel is in the table (none is left to the engine host fallback)', () => {
    for (const k of GPU_KERNELS) expect(backend.kernels[k], k).toBeTypeOf('function');
    expect(kernelNames().filter((k) => !backend.kernels[k])).toEqual([]);
  });
});

describe('cuda backend: kernels match the reference', () => {
  const unaries = { abs, exp, gelu, isFinite, neg, relu, sigmoid, sign, softplus, square, step, tanh, reciprocal };
  it.each(Object.entries(unaries))('%s', (_, fn) => {
    const x = f32([7, 13], 3);
    x.values[0] = 0; x.values[1] = Infinity; x.values[2] = -Infinity;
    parity([x], fn);
    parity([f32([0, 4])], fn);
  });
  it('log, sqrt on positive and negative values', () => {
    const x = f32([5, 9]);
    parity([x], log);
    parity([x], sqrt);
  });

  const binaries = { add, sub, mul, div, maximum, minimum, pow, equal, greater, greaterEqual };
  const shapes: [number[], number[]][] = [
    [[5, 7], [5, 7]], [[5, 7], []], [[], [5, 7]], [[5, 7], [7]], [[3, 5, 7], [1, 7]], [[5, 7], [5, 1]], [[2, 5, 7], [2, 5, 1]],
    [[5, 1], [1, 7]], [[7], [5, 7]], [[2, 1, 4], [3, 1]], [[2, 3, 1, 2, 1, 3], [3, 2, 2, 1]], [[0, 7], [7]], [[1], [1, 1]],
  ];
  it.each(Object.entries(binaries))('%s over broadcasts', (name, fn) => {
    for (const [sa, sb] of shapes) {
      const a = f32(sa), b = f32(sb);
      if (name === 'pow') a.values = a.values.map(Math.abs);
      if (name === 'equal') b.values.fill(a.values[0] ?? 0);
      parity([a, b], fn);
    }
  });
  it('int32 binaries run on the device (binaryI32): wrapping arithmetic, int32 results; comparisons give float32 1/0', () => {
    const extremes = Int32Array.of(2147483647, -2147483648, -1, 0, 1, 65537, -65537, 46341, 2147483647, -1, 7, -7);
    const fns: [string, (x: Tensor, y: Tensor) => Tensor][] = [
      ['add', add], ['sub', sub], ['mul', mul], ['maximum', maximum], ['minimum', minimum], ['equal', equal], ['greater', greater], ['greaterEqual', greaterEqual],
    ];
    const shapes: [number[], number[]][] = [[[4, 3], [4, 3]], [[4, 3], []], [[], [4, 3]], [[4, 3], [3]], [[4, 3], [4, 1]]];
    for (const [, fn] of fns) {
      for (const [sa, sb] of shapes) {
        const a = i32(sa, -5, 5), b = i32(sb, -5, 5);
        if (sizeOf(sa) === 12) a.values = extremes.slice();
        parity([a, b], fn);
      }
    }
    // The embedding bag's id count: ids >= 0 against a scalar 0 (int32), on the device.
    parity([i32([6, 4], -1, 9)], (ids) => sum(greaterEqual(ids, 0), 1, true));
  });
  it('int32 Div and Pow (float results) and general int32 broadcasts stay on the reference', () => {
    const a = i32([2, 1, 3], -5, 5), b = i32([4, 1], -5, 5);
    const ref = runOn('cpu', [a, b], (x, y) => add(x, y));
    const dev = runOn(NAME, [a, b], (x, y) => add(x, y));
    setBackend('cpu');
    expect(dev).toEqual(ref);
  });

  it('MatMul: transposes, bias, activations, K = 0 and empty outputs', () => {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
      for (const activation of ['none', 'relu', 'sigmoid', 'tanh'] as const) {
        const [M, K, N] = [9, 17, 5];
        const a = f32(tA ? [K, M] : [M, K]), b = f32(tB ? [N, K] : [K, N]), bias = f32([N]);
        parity([a, b, bias], (x, y, z) => matMul(x, y, { transposeA: tA, transposeB: tB, bias: z, activation }), 1e-4);
        parity([a, b], (x, y) => matMul(x, y, { transposeA: tA, transposeB: tB, activation }), 1e-4);
      }
    }
    parity([f32([3, 0]), f32([0, 4]), f32([4])], (x, y, z) => matMul(x, y, { bias: z, activation: 'sigmoid' }));
    parity([f32([0, 5]), f32([5, 4])], (x, y) => matMul(x, y));
    setBackend(NAME);
    expect(() => tidy(() => backend.kernels.MatMul!([
      { dataId: backend.write(new Float32Array(6), [2, 3], 'float32'), shape: [2, 3], dtype: 'float32' },
      { dataId: backend.write(new Float32Array(8), [4, 2], 'float32'), shape: [4, 2], dtype: 'float32' },
    ], { transposeA: false, transposeB: false, activation: 'none' }, backend))).toThrow(/inner dimensions differ/);
    setBackend('cpu');
  });

  it('MatMul in bf16 (inputs rounded to bf16, float32 accumulation) and tf32 stays close to float32', () => {
    for (const precision of ['bf16', 'tf32'] as const) {
      const a2 = createHostEmulator();
      const b2 = createGpuBackend(a2, createExecutor(a2, { memoryLimitBytes: null, cudaGraphs: false }), { precision });
      registerBackend(`cuda-${precision}`, () => b2, -10);
      const x = f32([8, 32]), w = f32([32, 6]), bias = f32([6]);
      const ref = runOn('cpu', [x, w, bias], (p, q, r) => matMul(p, q, { bias: r, activation: 'tanh' }))[0].values;
      const dev = runOn(`cuda-${precision}`, [x, w, bias], (p, q, r) => matMul(p, q, { bias: r, activation: 'tanh' }))[0].values;
      setBackend('cpu');
      removeBackend(`cuda-${precision}`);
      // Rounding each input to u = 2⁻⁸ (bf16) / 2⁻¹¹ (tf32) relative error moves a product by ≤ 2u·|a·b|; tanh is 1-Lipschitz.
      const u = precision === 'bf16' ? 2 ** -8 : 2 ** -11;
      ref.forEach((v, i) => {
        const [r, c] = [Math.floor(i / 6), i % 6];
        let bound = 1e-5;
        for (let k = 0; k < 32; k++) bound += 2 * u * Math.abs(x.values[r * 32 + k] * w.values[k * 6 + c]);
        expect(Math.abs(dev[i] - v), `${precision} element ${i}`).toBeLessThan(bound);
      });
    }
    expect(() => createGpuBackend(addon, executor, { precision: 'fp16' as 'fp32' })).toThrow(/precision must be tf32, bf16 or fp32/);
  });

  it('BroadcastTo, Cast, Identity, Transpose, Concat, Slice, Pad', () => {
    parity([f32([3])], (x) => broadcastTo(x, [4, 3]));
    parity([f32([4, 1])], (x) => broadcastTo(x, [2, 4, 5]));
    parity([f32([])], (x) => broadcastTo(x, [3, 2]));
    parity([i32([2, 1], 0, 9)], (x) => broadcastTo(x, [2, 3]));
    parity([f32([3, 4], 10)], (x) => ops.cast(x, 'int32'));
    parity([i32([3, 4], -9, 9)], (x) => ops.cast(x, 'float32'));
    parity([i32([3, 4], -9, 9)], (x) => ops.cast(x, 'int32'));
    parity([f32([6, 5])], (x) => transpose(x));
    parity([f32([2, 3, 4, 5])], (x) => transpose(x, [2, 0, 3, 1]));
    parity([i32([3, 4], 0, 100)], (x) => transpose(x));
    parity([f32([4, 3]), f32([4, 0]), f32([4, 5])], (a, b, c) => concat([a, b, c], 1));
    parity([f32([2, 3, 4]), f32([2, 1, 4])], (a, b) => concat([a, b], 1));
    parity([f32([2, 3]), f32([5, 3])], (a, b) => concat([a, b], 0));
    parity([i32([2, 3], 0, 9), i32([2, 2], 0, 9)], (a, b) => concat([a, b], 1));
    parity([f32([7, 6])], (x) => slice(x, [2, 1], [3, 4]));
    parity([f32([7, 6])], (x) => slice(x, [2, 0], [3, 6]));
    parity([f32([3, 4, 5, 6])], (x) => slice(x, [1, 1, 2, 0], [2, 2, 3, 6]));
    parity([f32([9])], (x) => slice(x, [3], [4]));
    parity([f32([7, 6])], (x) => slice(x, [0, 0], [0, 6]));
    parity([f32([3, 4])], (x) => pad(x, [1, 0], [2, 3]));
    parity([f32([2, 3, 4])], (x) => pad(x, [0, 1, 2], [1, 0, 1]));
    parity([f32([5])], (x) => pad(x, [2], [1]));
  });

  it('ReluGrad, ReluGradBiasSum', () => {
    parity([f32([6, 7]), f32([6, 7])], reluGrad);
    parity([f32([33, 9]), f32([33, 9])], (dy, y) => reluGradBiasSum(dy, y), 1e-4);
    parity([f32([0, 9]), f32([0, 9])], (dy, y) => reluGradBiasSum(dy, y));
  });

  it('Sum and Max over single, contiguous and split axes, keepDims, empty', () => {
    const x = f32([3, 4, 5, 2]);
    for (const axes of [[3], [0], [1], [1, 2], [0, 1, 2, 3], [0, 2], [1, 3], [0, 2, 3], []]) {
      for (const keep of [false, true]) {
        parity([x], (t) => sum(t, axes, keep), 1e-4);
        parity([x], (t) => max(t, axes, keep));
      }
    }
    parity([f32([4, 0])], (t) => sum(t, 1));
    parity([f32([4, 0])], (t) => max(t, 1));
    parity([f32([0, 4])], (t) => sum(t, 1));
    parity([f32([])], (t) => sum(t));
  });

  it('ArgMax, Softmax, LogSoftmax, BceWithLogits, OneHot', () => {
    const x = f32([11, 7], 4);
    x.values[3] = x.values[4]; // a tie: first index wins
    parity([x], argMax);
    parity([x], softmax);
    parity([x], logSoftmax);
    parity([f32([3, 1, 6])], softmax);
    parity([f32([13]), { values: Float32Array.from({ length: 13 }, (_, i) => i % 2), shape: [13] }], bceWithLogits);
    parity([i32([4, 3], -1, 6)], (ids) => oneHot(ids, 5));
  });

  it('SparseSoftmaxCrossEntropy: loss and probabilities; a bad label is the reference error', () => {
    kernelParity('SparseSoftmaxCrossEntropy', [f32([9, 6], 3), i32([9], 0, 6)], {}, 1e-5);
    parity([f32([9, 6], 3), i32([9], 0, 6)], sparseSoftmaxCrossEntropy, 1e-5);
    const bad = i32([4], 0, 3);
    bad.values[2] = 3;
    expect(() => runOn('cpu', [f32([4, 3]), bad], sparseSoftmaxCrossEntropy)).toThrow('softmaxCrossEntropy: label 3 at row 2 is outside [0, 3)');
    expect(() => runOn(NAME, [f32([4, 3]), bad], sparseSoftmaxCrossEntropy)).toThrow('softmaxCrossEntropy: label 3 at row 2 is outside [0, 3)');
    setBackend('cpu');
  });

  it('Gather, ScatterAdd (padding ids, errors), CoalesceRows (static size, −1 padding)', () => {
    parity([f32([10, 3]), i32([4, 5], -1, 10)], gather);
    parity([f32([10]), i32([6], 0, 10)], gather);
    parity([f32([12, 2, 3]), i32([12], -1, 6)], (v, r) => scatterAdd(v, r, 6), 1e-5);
    const ids = i32([3], 0, 10);
    ids.values[1] = 10;
    expect(() => runOn('cpu', [f32([10, 2]), ids], gather)).toThrow(`gather: id 10 at position 1 is outside the table's 10 rows`);
    expect(() => runOn(NAME, [f32([10, 2]), ids], gather)).toThrow(`gather: id 10 at position 1 is outside the table's 10 rows`);
    expect(() => runOn(NAME, [f32([3, 2]), ids], (v, r) => scatterAdd(v, r, 10))).toThrow('scatterAdd: row 10 is outside [0, 10)');
    setBackend('cpu');

    const rows = i32([17], -1, 6), values = f32([17, 4]);
    const ref = runOn('cpu', [rows, values], (r, v) => coalesceRows(r, v));
    const dev = runOn(NAME, [rows, values], (r, v) => coalesceRows(r, v));
    setBackend('cpu');
    const U = ref[0].shape[0], K = 17;
    expect(dev[0].shape).toEqual([K]);
    expect(dev[1].shape).toEqual([K, 4]);
    expect(dev[0].values.slice(0, U)).toEqual(ref[0].values);
    expect(dev[0].values.slice(U)).toEqual(new Array(K - U).fill(-1));
    dev[1].values.slice(0, U * 4).forEach((v, i) => expect(close(v, ref[1].values[i], 1e-5)).toBe(true));
    expect(dev[1].values.slice(U * 4)).toEqual(new Array((K - U) * 4).fill(0));
  });

  it('optimizer updates: dense and sparse (with padded coalesced rows) match the reference', () => {
    for (const kind of ['adam', 'adamw', 'sgd', 'adagrad'] as const) {
      const p0 = randn(24), e0 = randn(30), g = randn(24), eg = randn(5 * 3), erows = Int32Array.of(4, 1, 4, -1, 9);
      const run = (name: string): number[][] => {
        setBackend(name);
        const p = new Variable(fromTyped(p0.slice(), [4, 6]), 'p'), e = new Variable(fromTyped(e0.slice(), [10, 3]), 'e');
        const opt = new Optimizer(kind === 'sgd' ? { kind, lr: 0.1, momentum: 0.9, nesterov: true, l2: 0.01 } : { kind, lr: 0.05, l2: 0.01, reportGradNorm: true });
        const norms: number[] = [];
        for (let s = 0; s < 3; s++) {
          tidy(() => {
            const info = opt.apply([p, e], [fromTyped(g.slice(), [4, 6]), { kind: 'sparse-rows', rows: fromTyped(erows.slice(), [5]), values: fromTyped(eg.slice(), [5, 3]), shape: [10, 3] }]);
            norms.push(info.gradNorm);
          });
        }
        const out = [Array.from(p.dataSync()), Array.from(e.dataSync()), norms];
        opt.dispose(); p.dispose(); e.dispose();
        return out;
      };
      const ref = run('cpu'), dev = run(NAME);
      setBackend('cpu');
      for (let k = 0; k < ref.length; k++) ref[k].forEach((v, i) => expect(close(dev[k][i], v, 1e-5), `${kind} output ${k}[${i}]: ${dev[k][i]} vs ${v}`).toBe(true));
    }
    expect(backend.stats().fallbacks).not.toHaveProperty('AdamUpdate');
    expect(backend.stats().fallbacks).not.toHaveProperty('CoalesceRows');
    expect(() => backend.kernels.AdamUpdate!(
      [[4], [3], [4], [4]].map((s) => ({ dataId: backend.write(new Float32Array(sizeOf(s)), s, 'float32'), shape: s, dtype: 'float32' as const })),
      { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, l2: 0, weightDecay: 0 }, backend)).toThrow('optimizer update: grad [3] does not match param [4]');
  });

  it('launch signatures carry the kernel, shapes and operand pointers, not per-step values', () => {
    launched.length = 0;
    setBackend(NAME);
    tidy(() => {
      const p = fromTyped(randn(6), [6]);
      const opt = new Optimizer({ kind: 'adam', lr: 0.1 });
      const v = new Variable(p, 'v');
      opt.apply([v], [fromTyped(randn(6), [6])]);
      opt.apply([v], [fromTyped(randn(6), [6])]);
      opt.dispose();
      v.dispose();
    });
    setBackend('cpu');
    const adam = launched.filter((s) => s.startsWith('AdamUpdate|'));
    expect(adam.length).toBe(2);
    expect(adam[0]).toMatch(/^AdamUpdate\|f6@\d+/);
    expect(adam[0]).not.toMatch(/0\.1/);
  });
});

describe('cuda backend: float64 gradient-check storage defers to the reference', () => {
  it('float64 tensors stay on the host and every kernel runs the reference', () => {
    useFloat64StorageForTests(true);
    try {
      setBackend(NAME);
      const x = fromTyped(Float32Array.of(1, 2, 3), [3]);
      const y = tidy(() => sum(mul(x, fromTyped(Float32Array.of(0.1, 0.2, 0.3), [3]))));
      expect(y.dataSync()).toBeInstanceOf(Float64Array);
      // float32 inputs widened exactly; the products and the sum in float64.
      expect(y.item()).toBe(1 * Math.fround(0.1) + 2 * Math.fround(0.2) + 3 * Math.fround(0.3));
      x.dispose(); y.dispose();
    } finally {
      useFloat64StorageForTests(false);
      setBackend('cpu');
    }
  });
});

describe('cuda backend: training matches cpu', () => {
  function mlpTrajectory(name: string, kind: 'adam' | 'sgd' | 'adamw'): number[] {
    setBackend(name);
    const r = new Random(5);
    const n = 64, d = 12;
    const x = Float32Array.from({ length: n * d }, () => r.normal());
    const y = Float32Array.from({ length: n }, (_, i) => (x[i * d] * x[i * d + 1] + x[i * d + 2] > 0 ? 1 : 0));
    const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: d }], hiddenUnits: [32, 16], activation: 'relu', seed: 3 });
    const opt = new Optimizer(kind === 'sgd' ? { kind, lr: 0.05, momentum: 0.9 } : { kind, lr: 0.01, clipNorm: 5 });
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) losses.push(trainStep(model, opt, { numRows: n, inputs: { x }, labels: y }).loss);
    model.dispose();
    opt.dispose();
    return losses;
  }

  function wideDeepTrajectory(name: string): number[] {
    setBackend(name);
    const r = new Random(9);
    const n = 48;
    const x = Float32Array.from({ length: n * 4 }, () => r.normal());
    const cat = Int32Array.from({ length: n }, () => r.nextInt(11));
    const y = Float32Array.from({ length: n }, (_, i) => ((cat[i] % 3) + x[i * 4] > 1 ? 1 : 0));
    const model = new WideDeep({
      wideInputs: [{ name: 'cat', kind: 'categorical', vocabSize: 11, embeddingDim: 1 }],
      deepInputs: [{ name: 'x', kind: 'dense', width: 4 }, { name: 'cat', kind: 'categorical', vocabSize: 11, embeddingDim: 3 }],
      hiddenUnits: [16, 8], seed: 4,
    });
    const opt = new Optimizer({ kind: 'adam', lr: 0.02 });
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) losses.push(trainStep(model, opt, { numRows: n, inputs: { x, cat }, labels: y }).loss);
    model.dispose();
    opt.dispose();
    return losses;
  }

  it.each(['adam', 'adamw', 'sgd'] as const)('MLP with %s: same loss trajectory (1e-4 relative), nothing falls back', (kind) => {
    const cpu = mlpTrajectory('cpu', kind);
    const before = JSON.stringify(backend.stats().fallbacks);
    const gpu = mlpTrajectory(NAME, kind);
    setBackend('cpu');
    expect(JSON.stringify(backend.stats().fallbacks)).toBe(before);
    cpu.forEach((l, i) => expect(Math.abs(gpu[i] - l) / l, `step ${i}: ${gpu[i]} vs ${l}`).toBeLessThan(1e-4));
  });

  it('wide & deep with embeddings (sparse Adam through padded CoalesceRows): same trajectory', () => {
    const cpu = wideDeepTrajectory('cpu');
    const before = JSON.stringify(backend.stats().fallbacks);
    const gpu = wideDeepTrajectory(NAME);
    setBackend('cpu');
    expect(JSON.stringify(backend.stats().fallbacks)).toBe(before);
    cpu.forEach((l, i) => expect(Math.abs(gpu[i] - l) / l, `step ${i}: ${gpu[i]} vs ${l}`).toBeLessThan(1e-4));
  });

  it('with CUDA Graphs on: steps are captured and replayed, and the trajectories still match', () => {
    const graphAddon = createHostEmulator();
    const graphExecutor = createExecutor(graphAddon, { memoryLimitBytes: null, cudaGraphs: true });
    const graphBackend = createGpuBackend(graphAddon, graphExecutor, { precision: 'fp32' });
    registerBackend('cuda-graphs-test', () => graphBackend, -10);
    try {
      const cpu = [...mlpTrajectory('cpu', 'adam'), ...wideDeepTrajectory('cpu')];
      const gpu = [...mlpTrajectory('cuda-graphs-test', 'adam'), ...wideDeepTrajectory('cuda-graphs-test')];
      setBackend('cpu');
      cpu.forEach((l, i) => expect(Math.abs(gpu[i] - l) / l, `step ${i}: ${gpu[i]} vs ${l}`).toBeLessThan(1e-4));
      expect(graphBackend.stats().fallbacks).toEqual({});
      expect(graphExecutor.stats().replayedSteps).toBeGreaterThan(0);
    } finally {
      setBackend('cpu');
      removeBackend('cuda-graphs-test');
    }
  });

  it('training leaves no tensors behind', () => {
    const before = memory().numTensors;
    mlpTrajectory(NAME, 'sgd');
    setBackend('cpu');
    expect(memory().numTensors).toBe(before);
  });
});

describe('deviceErrorMessage', () => {
  it('formats the device error record like the reference kernels', () => {
    expect(deviceErrorMessage([1, 2, 7, 5])).toBe('softmaxCrossEntropy: label 7 at row 2 is outside [0, 5)');
    expect(deviceErrorMessage([2, 0, 12, 10])).toBe(`gather: id 12 at position 0 is outside the table's 10 rows`);
    expect(deviceErrorMessage([3, 1, 4, 3])).toBe('scatterAdd: row 4 is outside [0, 3)');
    expect(deviceErrorMessage([0, 0, 0, 0])).toBeNull();
  });
  it('turns the addon\'s device error (record or message) into the reference error; other errors pass through', () => {
    const addonError = new Error('engine-gpu device error label-range (code 1): label 7 at row 12 is outside [0, 3)');
    expect((asReferenceError(addonError) as Error).message).toBe('softmaxCrossEntropy: label 7 at row 12 is outside [0, 3)');
    expect((asReferenceError(addonError) as Error).cause).toBe(addonError);
    expect((asReferenceError(new Error('device error: id 12 at position 4 is outside the table\'s 10 rows')) as Error).message)
      .toBe(`gather: id 12 at position 4 is outside the table's 10 rows`);
    expect((asReferenceError(new Error('engine-gpu device error row-range (code 3): row 9 at position 2 is outside [0, 5)')) as Error).message)
      .toBe('scatterAdd: row 9 is outside [0, 5)');
    expect((asReferenceError(Object.assign(new Error('x'), { deviceError: Int32Array.of(2, 1, 30, 20) })) as Error).message)
      .toBe(`gather: id 30 at position 1 is outside the table's 20 rows`);
    const other = new Error('CUDA error: an illegal memory access was encountered');
    expect(asReferenceError(other)).toBe(other);
  });
  it('backendStatus is untouched by the test backend', () => {
    expect(backendStatus().name).toBe('cpu');
  });
});
