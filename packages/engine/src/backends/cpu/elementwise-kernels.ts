// Elementwise unary and binary kernels, with fast paths for the shapes training uses
// (same shape, scalar, row-vector bias) and a general broadcasting path.
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel, type HostTensor, type TypedArray } from '../../kernels/registry.js';
import { broadcastIndex, broadcastShapes, sameShape } from './broadcast.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

// One loop per op (not a closure call per element): generated once at load time.
function makeUnary(name: string, expr: string): (x: TypedArray, out: TypedArray) => void {
   
  return new Function('SQRT_2_OVER_PI', `return function ${name}(x, out) { const n = x.length; for (let i = 0; i < n; i++) { const v = x[i]; out[i] = ${expr}; } }`)(SQRT_2_OVER_PI) as (x: TypedArray, out: TypedArray) => void;
}

const unaryExpr: Record<string, string> = {
  Neg: '-v',
  Exp: 'Math.exp(v)',
  Log: 'Math.log(v)',
  Sqrt: 'Math.sqrt(v)',
  Abs: 'Math.abs(v)',
  Square: 'v * v',
  Reciprocal: '1 / v',
  Relu: 'v <= 0 ? 0 : v', // NaN propagates (divergence must stay visible)
  Sigmoid: 'v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))',
  Tanh: 'Math.tanh(v)',
  Gelu: '0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)))',
  Softplus: 'v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v))',
  Step: 'v > 0 ? 1 : 0',
  Sign: 'v > 0 ? 1 : v < 0 ? -1 : 0',
  IsFinite: 'Number.isFinite(v) ? 1 : 0',
};

for (const [name, expr] of Object.entries(unaryExpr)) {
  const loop = makeUnary(name, expr);
  registerKernel({
    name,
    reference: ([x]) => {
      const out = allocFloat(x.values.length);
      loop(x.values, out);
      return [{ shape: x.shape, dtype: 'float32', values: out }];
    },
  });
}

const binaryExpr: Record<string, string> = {
  Add: 'a + b',
  Sub: 'a - b',
  Mul: 'a * b',
  Div: 'a / b',
  Maximum: 'a >= b ? a : b',
  Minimum: 'a <= b ? a : b',
  Pow: 'Math.pow(a, b)',
  Greater: 'a > b ? 1 : 0',
  GreaterEqual: 'a >= b ? 1 : 0',
  Equal: 'a === b ? 1 : 0',
};
export const comparisonKernels = new Set(['Greater', 'GreaterEqual', 'Equal']);

type BinaryLoops = {
  same: (a: TypedArray, b: TypedArray, out: TypedArray) => void;
  scalarB: (a: TypedArray, b: number, out: TypedArray) => void;
  scalarA: (a: number, b: TypedArray, out: TypedArray) => void;
  rowB: (a: TypedArray, b: TypedArray, out: TypedArray) => void;
  general: (a: TypedArray, ia: Int32Array, b: TypedArray, ib: Int32Array, out: TypedArray) => void;
};

function makeBinary(expr: string): BinaryLoops {
  const f = (args: string, body: string) =>
     
    new Function(`return function (${args}) { ${body} }`)() as never;
  return {
    same: f('x, y, out', `const n = out.length; for (let i = 0; i < n; i++) { const a = x[i], b = y[i]; out[i] = ${expr}; }`),
    scalarB: f('x, b, out', `const n = out.length; for (let i = 0; i < n; i++) { const a = x[i]; out[i] = ${expr}; }`),
    scalarA: f('a, y, out', `const n = out.length; for (let i = 0; i < n; i++) { const b = y[i]; out[i] = ${expr}; }`),
    rowB: f('x, y, out', `const n = out.length, m = y.length; for (let i = 0; i < n; i += m) { for (let j = 0; j < m; j++) { const a = x[i + j], b = y[j]; out[i + j] = ${expr}; } }`),
    general: f('x, ia, y, ib, out', `const n = out.length; for (let i = 0; i < n; i++) { const a = x[ia[i]], b = y[ib[i]]; out[i] = ${expr}; }`),
  };
}

function allocLike(dtype: 'float32' | 'int32', n: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(n) : allocFloat(n);
}

for (const [name, expr] of Object.entries(binaryExpr)) {
  const loops = makeBinary(expr);
  const isCmp = comparisonKernels.has(name);
  registerKernel({
    name,
    reference: ([a, b]: HostTensor[]) => {
      const shape = broadcastShapes(a.shape, b.shape, name);
      const inDtype = a.dtype === 'int32' && b.dtype === 'int32' && name !== 'Div' && name !== 'Pow' ? 'int32' : 'float32';
      const dtype = isCmp ? 'float32' : inDtype;
      let n = 1;
      for (const d of shape) n *= d;
      const out = allocLike(dtype, n);
      const av = a.values, bv = b.values;
      if (sameShape(a.shape, b.shape)) loops.same(av, bv, out);
      else if (bv.length === 1) loops.scalarB(av, bv[0], out);
      else if (av.length === 1) loops.scalarA(av[0], bv, out);
      else if (sameShape(a.shape, shape) && b.shape.length >= 1 && bv.length === shape[shape.length - 1] && b.shape[b.shape.length - 1] === bv.length) loops.rowB(av, bv, out);
      else loops.general(av, broadcastIndex(a.shape, shape), bv, broadcastIndex(b.shape, shape), out);
      return [{ shape, dtype, values: out }];
    },
  });
}

registerKernel({
  name: 'BroadcastTo',
  reference: ([x], { shape }: { shape: number[] }) => {
    const idx = broadcastIndex(x.shape, shape);
    const out = allocLike(x.dtype, idx.length);
    const v = x.values;
    for (let i = 0; i < idx.length; i++) out[i] = v[idx[i]];
    return [{ shape: [...shape], dtype: x.dtype, values: out }];
  },
});

registerKernel({
  name: 'Cast',
  reference: ([x], { dtype }: { dtype: 'float32' | 'int32' }) => {
    const out = allocLike(dtype, x.values.length);
    if (dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = Math.trunc(x.values[i]);
    else out.set(x.values);
    return [{ shape: x.shape, dtype, values: out }];
  },
});

registerKernel({
  name: 'Identity',
  reference: ([x]) => [{ shape: x.shape, dtype: x.dtype, values: x.values.slice() as TypedArray }],
});

// ReLU backward from the forward output: dy where y > 0. One pass instead of step() then mul().
// Float32 storage takes a branchless path: the output's bits are dy's bits AND-ed with a mask
// (all ones where y > 0, else zero → +0), exactly the value the ternary picks but without a
// data-dependent branch (ReLU masks are ~50/50, so the branchy loop mispredicts constantly and is
// ~4× slower). NaN in y gives 0 and NaN in dy passes through where y > 0, as before.
function reluGradInto(d: TypedArray, v: TypedArray, out: Float32Array): void {
  const n = d.length;
  if (d instanceof Float32Array && v instanceof Float32Array && out instanceof Float32Array) {
    const di = new Int32Array(d.buffer, d.byteOffset, n);
    const oi = new Int32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) oi[i] = di[i] & -+(v[i] > 0);
  } else {
    for (let i = 0; i < n; i++) out[i] = v[i] > 0 ? d[i] : 0;
  }
}

registerKernel({
  name: 'ReluGrad',
  reference: ([dy, y]) => {
    const out = allocFloat(dy.values.length);
    reluGradInto(dy.values, y.values, out);
    return [{ shape: dy.shape, dtype: 'float32', values: out }];
  },
});

// Backward of a Dense layer's fused bias + ReLU epilogue in one kernel: g = dy where y > 0, and
// the bias gradient = column sums of g over the leading axis (float64 accumulation, same row order
// as Sum over axis 0, so the result is identical to ReluGrad followed by Sum). dy, y: [R, C] →
// [g [R, C], dbias [C]]. Only used by the MatMul gradient (runs with the tape paused).
registerKernel({
  name: 'ReluGradBiasSum',
  reference: ([dy, y]) => {
    const C = dy.shape[dy.shape.length - 1];
    const n = dy.values.length;
    const g = allocFloat(n);
    reluGradInto(dy.values, y.values, g);
    const acc = new Float64Array(C);
    for (let i = 0; i < n; i += C) for (let j = 0; j < C; j++) acc[j] += g[i + j];
    const db = allocFloat(C);
    db.set(acc);
    return [
      { shape: dy.shape, dtype: 'float32', values: g },
      { shape: [C], dtype: 'float32', values: db },
    ];
  },
});
