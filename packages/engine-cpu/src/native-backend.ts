// The native CPU backend: the same storage as the TS backend (the typed array itself, so tensors
// move between the two without copies), with the hot kernels of MLP training run by the addon.
// Every other kernel — and every call on float64 storage (the engine's gradient-check mode) or on
// a broadcast shape the addon does not take — runs the TS reference kernel, as the Backend
// interface allows.
import { allocFloat, createCpuBackend, type Backend, type BackendKernel, type KernelTensor, type TypedArray } from '@atelier/engine';
import type { NativeAddon } from './native-addon.js';

type Values = { values: TypedArray };
const vals = (t: KernelTensor): TypedArray => (t.dataId as Values).values;
const isF32 = (x: unknown): x is Float32Array => x instanceof Float32Array;

const ACTIVATION: Record<string, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };
const BINARY: Record<string, number> = { Add: 0, Sub: 1, Mul: 2, Div: 3, Maximum: 4, Minimum: 5 };
const UNARY: Record<string, number> = { Relu: 0, Sigmoid: 1, Tanh: 2, Neg: 3, Square: 4, Exp: 5 };

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** y is x's shape with the last axis 1 ([N,C] op [N,1], as in the softmax gradients). */
function isPerRow(x: readonly number[], y: readonly number[]): boolean {
  if (x.length < 2 || y.length !== x.length || y[y.length - 1] !== 1) return false;
  for (let i = 0; i < x.length - 1; i++) if (x[i] !== y[i]) return false;
  return true;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export const NATIVE_KERNELS = [
  'MatMul', 'BroadcastTo', ...Object.keys(BINARY), ...Object.keys(UNARY), 'ReluGrad', 'ReluGradBiasSum', 'Sum', 'BceWithLogits',
  'Softmax', 'LogSoftmax', 'SparseSoftmaxCrossEntropy',
  'AdamUpdate', 'AdamWUpdate', 'SgdMomentumUpdate', 'Gather', 'ScatterAdd', 'CoalesceRows', 'Concat', 'Slice',
] as const;

export function createNativeCpuBackend(addon: NativeAddon): Backend {
  const base = createCpuBackend();
  const ref = base.kernels;
  const out = (values: TypedArray, shape: number[]): KernelTensor => ({ dataId: base.write(values, shape, 'float32'), shape, dtype: 'float32' });
  const native: Record<string, BackendKernel> = {};

  native.MatMul = (inputs, attrs, b) => {
    const [a, bt, bias] = inputs;
    const av = vals(a), bv = vals(bt), biasV = bias ? vals(bias) : null;
    const act = ACTIVATION[attrs.activation as string];
    if (!isF32(av) || !isF32(bv) || (biasV && !isF32(biasV)) || act === undefined) return ref.MatMul!(inputs, attrs, b);
    const M = attrs.transposeA ? a.shape[1] : a.shape[0];
    const K = attrs.transposeA ? a.shape[0] : a.shape[1];
    const N = attrs.transposeB ? bt.shape[0] : bt.shape[1];
    const c = allocFloat(M * N);
    if (!isF32(c)) return ref.MatMul!(inputs, attrs, b);
    addon.sgemm(M, N, K, av, !!attrs.transposeA, bv, !!attrs.transposeB, c, biasV as Float32Array | null, act);
    return [out(c, [M, N])];
  };

  for (const [name, op] of Object.entries(BINARY)) {
    native[name] = (inputs, attrs, b) => {
      const [x, y] = inputs;
      const xv = vals(x), yv = vals(y);
      if (x.dtype !== 'float32' || y.dtype !== 'float32' || !isF32(xv) || !isF32(yv)) return ref[name]!(inputs, attrs, b);
      let mode: number, shape: number[];
      const last = x.shape[x.shape.length - 1];
      if (sameShape(x.shape, y.shape)) [mode, shape] = [0, x.shape];
      else if (yv.length === 1 && y.shape.length <= x.shape.length) [mode, shape] = [1, x.shape];
      else if (xv.length === 1 && x.shape.length <= y.shape.length) [mode, shape] = [2, y.shape];
      else if (x.shape.length >= 1 && y.shape.length >= 1 && y.shape.length <= x.shape.length && yv.length === last && y.shape[y.shape.length - 1] === last) [mode, shape] = [3, x.shape];
      else if (last > 0 && isPerRow(x.shape, y.shape)) [mode, shape] = [4, x.shape];
      else return ref[name]!(inputs, attrs, b);
      const o = allocFloat(sizeOf(shape));
      if (!isF32(o)) return ref[name]!(inputs, attrs, b);
      addon.binary(op, mode, xv, yv, o);
      return [out(o, [...shape])];
    };
  }

  for (const [name, op] of Object.entries(UNARY)) {
    native[name] = (inputs, attrs, b) => {
      const xv = vals(inputs[0]);
      const o = isF32(xv) && inputs[0].dtype === 'float32' ? allocFloat(xv.length) : null;
      if (!o || !isF32(o)) return ref[name]!(inputs, attrs, b);
      addon.unary(op, xv as Float32Array, o);
      return [out(o, [...inputs[0].shape])];
    };
  }

  // BroadcastTo of a scalar (loss gradients) or a row vector: a fill / block copies instead of the
  // reference's per-element index table. Other patterns use the reference.
  native.BroadcastTo = (inputs, attrs, b) => {
    const x = inputs[0];
    const xv = vals(x);
    const shape = attrs.shape as number[];
    const n = sizeOf(shape);
    const last = shape[shape.length - 1];
    const isRow = xv.length === last && x.shape.length <= shape.length && (x.shape.length === 0 || x.shape[x.shape.length - 1] === last);
    if (x.dtype !== 'float32' || !isF32(xv) || !(xv.length === 1 || isRow) || n === 0) return ref.BroadcastTo!(inputs, attrs, b);
    const o = allocFloat(n);
    if (!isF32(o)) return ref.BroadcastTo!(inputs, attrs, b);
    if (xv.length === 1) o.fill(xv[0]);
    else for (let i = 0; i < n; i += last) o.set(xv, i);
    return [out(o, [...shape])];
  };

  native.ReluGrad = (inputs, attrs, b) => {
    const dv = vals(inputs[0]), yv = vals(inputs[1]);
    const o = isF32(dv) && isF32(yv) ? allocFloat(dv.length) : null;
    if (!o || !isF32(o)) return ref.ReluGrad!(inputs, attrs, b);
    addon.reluGrad(dv as Float32Array, yv as Float32Array, o);
    return [out(o, [...inputs[0].shape])];
  };

  native.ReluGradBiasSum = (inputs, attrs, b) => {
    const [dy, y] = inputs;
    const dv = vals(dy), yv = vals(y);
    const C = dy.shape[dy.shape.length - 1];
    if (!isF32(dv) || !isF32(yv) || !(C > 0)) return ref.ReluGradBiasSum!(inputs, attrs, b);
    const g = allocFloat(dv.length), db = allocFloat(C);
    if (!isF32(g) || !isF32(db)) return ref.ReluGradBiasSum!(inputs, attrs, b);
    addon.reluGradBiasSum(dv, yv, dv.length / C, C, g, db);
    return [out(g, [...dy.shape]), out(db, [C])];
  };

  // Sum over the last axis or the leading axis (bias gradients); other axes use the reference.
  // Same float64 accumulation order as the reference, so results are identical.
  native.Sum = (inputs, attrs, b) => {
    const x = inputs[0];
    const xv = vals(x);
    const axes = attrs.axes as number[];
    const r = x.shape.length;
    if (!isF32(xv) || axes.length !== 1 || r === 0 || (axes[0] !== r - 1 && axes[0] !== 0)) return ref.Sum!(inputs, attrs, b);
    const shape: number[] = [];
    for (let i = 0; i < r; i++) if (i !== axes[0]) shape.push(x.shape[i]); else if (attrs.keepDims) shape.push(1);
    const n = sizeOf(shape);
    const o = allocFloat(n);
    if (!isF32(o)) return ref.Sum!(inputs, attrs, b);
    if (axes[0] === r - 1) addon.sumLast(xv, n, x.shape[r - 1], o);
    else addon.sumRows(xv, x.shape[0], n, o);
    return [out(o, shape)];
  };

  native.BceWithLogits = (inputs, attrs, b) => {
    const xv = vals(inputs[0]), zv = vals(inputs[1]);
    const o = isF32(xv) && isF32(zv) ? allocFloat(xv.length) : null;
    if (!o || !isF32(o)) return ref.BceWithLogits!(inputs, attrs, b);
    addon.bceWithLogits(xv as Float32Array, zv as Float32Array, o);
    return [out(o, [...inputs[0].shape])];
  };

  for (const [name, log] of [['Softmax', false], ['LogSoftmax', true]] as const) {
    native[name] = (inputs, attrs, b) => {
      const x = inputs[0];
      const xv = vals(x);
      const m = x.shape[x.shape.length - 1];
      const o = isF32(xv) && m > 0 ? allocFloat(xv.length) : null;
      if (!o || !isF32(o)) return ref[name]!(inputs, attrs, b);
      addon.softmax(xv as Float32Array, xv.length / m, m, o, log);
      return [out(o, [...x.shape])];
    };
  }

  native.SparseSoftmaxCrossEntropy = (inputs, attrs, b) => {
    const [logits, labels] = inputs;
    const xv = vals(logits), yv = vals(labels);
    const [n, c] = logits.shape;
    if (!isF32(xv) || !(yv instanceof Int32Array) || !(c > 0)) return ref.SparseSoftmaxCrossEntropy!(inputs, attrs, b);
    const loss = allocFloat(n), probs = allocFloat(n * c);
    if (!isF32(loss) || !isF32(probs)) return ref.SparseSoftmaxCrossEntropy!(inputs, attrs, b);
    const bad = addon.sparseSoftmaxCrossEntropy(xv, yv, n, c, loss, probs);
    if (bad >= 0) throw new Error(`softmaxCrossEntropy: label ${yv[bad]} at row ${bad} is outside [0, ${c})`);
    return [out(loss, [n]), out(probs, [n, c])];
  };

  const rowWidth = (param: KernelTensor, pv: TypedArray) => (param.shape[0] ? pv.length / param.shape[0] : 0);
  const adam = (name: 'AdamUpdate' | 'AdamWUpdate'): BackendKernel => (inputs, a, b) => {
    const [p, g, m, v, rows] = inputs.map(vals);
    if (!isF32(p) || !isF32(g) || !isF32(m) || !isF32(v) || (rows && !(rows instanceof Int32Array))) return ref[name]!(inputs, a, b);
    addon.adam(p, g, m, v, (rows as Int32Array | undefined) ?? null, rowWidth(inputs[0], p), a.lr, a.beta1, a.beta2, a.eps, a.step, a.l2 ?? 0, a.weightDecay ?? 0, name === 'AdamWUpdate');
    return [];
  };
  native.AdamUpdate = adam('AdamUpdate');
  native.AdamWUpdate = adam('AdamWUpdate');
  native.SgdMomentumUpdate = (inputs, a, b) => {
    const [p, g, vel, rows] = inputs.map(vals);
    if (!isF32(p) || !isF32(g) || !isF32(vel) || (rows && !(rows instanceof Int32Array))) return ref.SgdMomentumUpdate!(inputs, a, b);
    addon.sgd(p, g, vel, (rows as Int32Array | undefined) ?? null, rowWidth(inputs[0], p), a.lr, a.momentum, !!a.nesterov, a.l2 ?? 0);
    return [];
  };

  native.Gather = (inputs, attrs, b) => {
    const [table, ids] = inputs;
    const tv = vals(table), iv = vals(ids);
    if (!isF32(tv) || !(iv instanceof Int32Array)) return ref.Gather!(inputs, attrs, b);
    const V = table.shape[0];
    const D = sizeOf(table.shape.slice(1));
    const o = allocFloat(iv.length * D);
    if (!isF32(o)) return ref.Gather!(inputs, attrs, b);
    const bad = addon.gather(tv, V, D, iv, o);
    if (bad >= 0) throw new Error(`gather: id ${iv[bad]} at position ${bad} is outside the table's ${V} rows`);
    return [out(o, [...ids.shape, ...table.shape.slice(1)])];
  };

  native.ScatterAdd = (inputs, attrs, b) => {
    const [values, rows] = inputs;
    const vv = vals(values), rv = vals(rows);
    const numRows = attrs.numRows as number;
    if (!isF32(vv) || !(rv instanceof Int32Array)) return ref.ScatterAdd!(inputs, attrs, b);
    const D = sizeOf(values.shape.slice(1));
    const o = allocFloat(numRows * D);
    if (!isF32(o)) return ref.ScatterAdd!(inputs, attrs, b);
    const bad = addon.scatterAdd(vv, D, rv, numRows, o);
    if (bad >= 0) throw new Error(`scatterAdd: row ${rv[bad]} is outside [0, ${numRows})`);
    return [out(o, [numRows, ...values.shape.slice(1)])];
  };

  // Sparse embedding gradients: duplicate rows summed. The result is copied out of K-sized scratch
  // into arrays of the exact size U.
  native.CoalesceRows = (inputs, attrs, b) => {
    const [rows, values] = inputs;
    const rv = vals(rows), vv = vals(values);
    const K = rv.length;
    const D = sizeOf(values.shape.slice(1));
    if (!(rv instanceof Int32Array) || !isF32(vv) || vv.length !== K * D) return ref.CoalesceRows!(inputs, attrs, b);
    const uniqAll = new Int32Array(K), sums = new Float32Array(K * D);
    const U = addon.coalesceRows(rv, vv, D, uniqAll, sums);
    const o = allocFloat(U * D);
    if (!isF32(o)) return ref.CoalesceRows!(inputs, attrs, b);
    o.set(sums.subarray(0, U * D));
    return [
      { dataId: base.write(uniqAll.slice(0, U), [U], 'int32'), shape: [U], dtype: 'int32' },
      out(o, [U, ...values.shape.slice(1)]),
    ];
  };

  // Concat (any axis) and 2-D Slice on float32: one row copy per run instead of a typed-array view
  // per row (the feature inputs' concat and its gradient's slices in wide & deep).
  native.Concat = (inputs, attrs, b) => {
    const axis = attrs.axis as number;
    const xs = inputs.map(vals);
    if (!xs.every(isF32) || inputs.some((t) => t.dtype !== 'float32')) return ref.Concat!(inputs, attrs, b);
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((s, x) => s + x.shape[axis], 0);
    let outer = 1, inner = 1;
    for (let i = 0; i < axis; i++) outer *= shape[i];
    for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
    const rowOut = shape[axis] * inner;
    const o = allocFloat(outer * rowOut);
    if (!isF32(o)) return ref.Concat!(inputs, attrs, b);
    let colOff = 0;
    inputs.forEach((x, i) => {
      const w = x.shape[axis] * inner;
      addon.copyRows(xs[i] as Float32Array, 0, w, o, colOff, rowOut, outer, w);
      colOff += w;
    });
    return [out(o, shape)];
  };

  native.Slice = (inputs, attrs, b) => {
    const x = inputs[0];
    const xv = vals(x);
    const begin = attrs.begin as number[], size = attrs.size as number[];
    if (!isF32(xv) || x.dtype !== 'float32' || x.shape.length !== 2) return ref.Slice!(inputs, attrs, b);
    const o = allocFloat(size[0] * size[1]);
    if (!isF32(o)) return ref.Slice!(inputs, attrs, b);
    addon.copyRows(xv, begin[0] * x.shape[1] + begin[1], x.shape[1], o, 0, size[1], size[0], size[1]);
    return [out(o, [...size])];
  };

  return { ...base, name: 'native-cpu', kernels: { ...ref, ...native } };
}
