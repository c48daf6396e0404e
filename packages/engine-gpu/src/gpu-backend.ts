// The 'cuda' engine backend: storage is device memory (a DeviceBlock per tensor), and every kernel
// that training and inference of the canned models use runs on the device, so a training step never
// leaves the GPU. Launches go through the StepExecutor with a signature (kernel, shapes, operand
// pointers, static attrs) so a stable step can be captured as a CUDA Graph. Per-call scalars that
// change every step (optimizer lr / step) go through a device buffer written with executor.write,
// never into a signature. Cases the device kernels do not cover (int32 arithmetic, rank > 6
// broadcasts, float64 storage in the engine's gradient-check mode) run the reference kernel on host
// copies, like the engine's own fallback.
import { allocFloat, broadcastShapes, getKernel, type Backend, type BackendKernel, type DType, type KernelTensor, type TypedArray } from '@atelier/engine';
import type { GemmPrecision, GpuAddon } from './gpu-addon.js';
import type { DeviceBlock, StepExecutor } from './step-executor.js';

type KernelAttrs = Parameters<BackendKernel>[1];

export type GpuPrecision = 'tf32' | 'bf16' | 'fp32';

export interface GpuBackendOptions {
  precision: GpuPrecision;
}

/** Storage of one tensor: device memory, or (float64 gradient-check mode only) a host array. */
interface GpuData {
  block: DeviceBlock | null;
  host: TypedArray | null;
  dtype: DType;
  length: number;
}

export interface GpuBackendStats {
  /** Kernel calls this backend ran through the reference on host copies, by kernel name. */
  fallbacks: Record<string, number>;
}

export type GpuBackend = Backend & { stats(): GpuBackendStats };

const PRECISION: Record<GpuPrecision, GemmPrecision> = { tf32: 0, bf16: 1, fp32: 2 };
const ACTIVATION: Record<string, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };
export const GPU_UNARY: Record<string, number> = {
  Relu: 0, Sigmoid: 1, Tanh: 2, Neg: 3, Square: 4, Exp: 5, Log: 6, Sqrt: 7, Abs: 8, Reciprocal: 9, Sign: 10, Softplus: 11, Gelu: 12, Step: 13, IsFinite: 14,
};
export const GPU_BINARY: Record<string, number> = {
  Add: 0, Sub: 1, Mul: 2, Div: 3, Maximum: 4, Minimum: 5, Pow: 6, Equal: 7, Greater: 8, GreaterEqual: 9,
};
/** Ops of GPU_BINARY that binaryI32 takes on two int32 operands. */
const INT32_BINARY = new Set([0, 1, 2, 4, 5, 7, 8, 9]);
const WORKSPACE_BYTES = 32 * 1024 * 1024;
/** Initial bf16 operand scratch (grows for larger GEMMs): 2·(M·K + K·N) bytes fits e.g. 4096×1024 · 1024×1024. */
const BF16_SCRATCH_BYTES = 16 * 1024 * 1024;
const MAX_RANK = 6;
/** AtlOptScalars: 9 float32. */
const OPT_SCALARS = 9;

/** The reference kernels' messages for the device error record {code, index, value, limit}. */
export function deviceErrorMessage(rec: ArrayLike<number>): string | null {
  const [code, index, value, limit] = [rec[0], rec[1], rec[2], rec[3]];
  if (code === 1) return `softmaxCrossEntropy: label ${value} at row ${index} is outside [0, ${limit})`;
  if (code === 2) return `gather: id ${value} at position ${index} is outside the table's ${limit} rows`;
  if (code === 3) return `scatterAdd: row ${value} is outside [0, ${limit})`;
  return null;
}

const DEVICE_ERROR_CODES: Record<string, number> = { label: 1, id: 2, row: 3 };

/**
 * A device error (thrown by the read that synchronised) as the reference kernel's error. The addon
 * may attach the record (`deviceError`: {code, index, value, limit}); otherwise its message says
 * "<label|id|row> V at <row|position> I is outside [0, L)" (or "the table's L rows"). Other errors pass through.
 */
export function asReferenceError(e: unknown): unknown {
  if (!(e instanceof Error)) return e;
  const rec = (e as Error & { deviceError?: ArrayLike<number> }).deviceError;
  let msg = rec ? deviceErrorMessage(rec) : null;
  if (!msg) {
    const m = /\b(label|id|row) (-?\d+) at (?:row|position) (\d+) is outside (?:\[0, (\d+)\)|the table's (\d+) rows)/.exec(e.message);
    if (m) msg = deviceErrorMessage([DEVICE_ERROR_CODES[m[1]], Number(m[3]), Number(m[2]), Number(m[4] ?? m[5])]);
  }
  return msg ? new Error(msg, { cause: e }) : e;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Element strides of `inShape` broadcast to `outShape` (0 on broadcast dims), or null when incompatible. */
function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] | null {
  const r = outShape.length;
  if (inShape.length > r) return null;
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = inShape.length - 1; i >= 0; i--) {
    const oi = r - inShape.length + i;
    if (inShape[i] !== 1 && inShape[i] !== outShape[oi]) return null;
    strides[oi] = inShape[i] === 1 ? 0 : s;
    s *= inShape[i];
  }
  return strides;
}

/** y is x's shape with the last axis 1 ([N,C] op [N,1]). */
function isPerRow(x: readonly number[], y: readonly number[]): boolean {
  if (x.length < 2 || y.length !== x.length || y[y.length - 1] !== 1) return false;
  for (let i = 0; i < x.length - 1; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The engine's gradient-check mode stores floats as Float64Array; this backend then defers to the reference. */
function float64Mode(): boolean {
  return allocFloat(0) instanceof Float64Array;
}

/** Merge adjacent axes where the inner one is whole (a box copy then needs fewer, longer runs). */
function mergeBox(shape: number[], begin: number[], size: number[]): { shape: number[]; begin: number[]; size: number[] } {
  const s = [shape[0]], b = [begin[0]], z = [size[0]];
  for (let i = 1; i < shape.length; i++) {
    const k = s.length - 1;
    if (begin[i] === 0 && size[i] === shape[i]) {
      s[k] *= shape[i];
      b[k] *= shape[i];
      z[k] *= shape[i];
    } else {
      s.push(shape[i]);
      b.push(begin[i]);
      z.push(size[i]);
    }
  }
  return { shape: s, begin: b, size: z };
}

/** Most copyRows launches one Slice / Pad may use before deferring to the reference. */
const MAX_BOX_LAUNCHES = 256;

export function createGpuBackend(addon: GpuAddon, executor: StepExecutor, opts: GpuBackendOptions): GpuBackend {
  const precision = PRECISION[opts.precision];
  if (precision === undefined) throw new Error(`cuda backend: precision must be tf32, bf16 or fp32, got '${String(opts.precision)}'`);
  const fallbacks: Record<string, number> = {};
  // Long-lived device buffers, allocated here (outside any step) so a captured step never allocates them.
  const workspace = executor.alloc(WORKSPACE_BYTES);
  let scratch: DeviceBlock | null = precision === 1 ? executor.alloc(BF16_SCRATCH_BYTES) : null;
  const optScalars = executor.alloc(OPT_SCALARS * 4);

  const data = (t: KernelTensor): GpuData => t.dataId as GpuData;
  const ptr = (t: KernelTensor): number => {
    const d = data(t);
    if (d.host) throw new Error('internal: host-stored tensor reached a device kernel');
    return d.block ? d.block.ptr : 0;
  };
  const onDevice = (t: KernelTensor): boolean => !data(t).host;

  const alloc = (dtype: DType, length: number): GpuData => ({ block: executor.alloc(Math.max(length, 1) * 4), host: null, dtype, length });
  const out = (dtype: DType, shape: number[]): KernelTensor => ({ dataId: alloc(dtype, sizeOf(shape)), shape, dtype });
  /** Pointers are taken now: the executor may run the thunk later (graph planning), after an operand's tensor was disposed. */
  const launch = (name: string, tensors: KernelTensor[], extra: string, run: (p: number[]) => void): void => {
    const p = tensors.map(ptr);
    const sig = `${name}|${tensors.map((t, i) => `${t.dtype[0]}${t.shape.join('x')}@${p[i]}`).join(',')}|${extra}`;
    executor.launch(sig, () => run(p));
  };

  function write(values: TypedArray, dtype: DType): GpuData {
    if (!(values instanceof Float32Array) && !(values instanceof Int32Array)) {
      // Float64Array: the gradient-check mode keeps its storage on the host.
      const host = values as TypedArray;
      return { block: null, host, dtype, length: host.length };
    }
    const d = alloc(dtype, values.length);
    if (values.length > 0) executor.write(d.block!, values);
    return d;
  }

  function read(d: GpuData): TypedArray {
    if (d.host) return d.host;
    const dst = d.dtype === 'int32' ? new Int32Array(d.length) : new Float32Array(d.length);
    try {
      if (d.length > 0) executor.read(d.block!, dst);
    } catch (e) {
      throw asReferenceError(e);
    }
    return dst;
  }

  function overwrite(d: GpuData, values: TypedArray): void {
    if (values.length !== d.length) throw new Error(`cuda backend: overwrite with ${values.length} values into storage of ${d.length}`);
    if (d.host) {
      if (d.host !== values) d.host.set(values);
      return;
    }
    if (d.length === 0) return;
    // A float64 host array (gradient-check mode) lands in float32 device storage.
    const any = values as ArrayLike<number>;
    const src = d.dtype === 'int32'
      ? (values instanceof Int32Array ? values : Int32Array.from(any))
      : (values instanceof Float32Array ? values : Float32Array.from(any));
    executor.write(d.block!, src);
  }

  function dispose(d: GpuData): void {
    if (d.block) executor.free(d.block);
    d.block = null;
    d.host = null;
    d.length = 0;
  }

  const kernels: Record<string, BackendKernel> = {};
  const backend: GpuBackend = {
    name: 'cuda',
    readsLiveStorage: false,
    write: (values, _shape, dtype) => write(values, dtype),
    read: (id) => read(id as GpuData),
    overwrite: (id, values) => overwrite(id as GpuData, values),
    dispose: (id) => dispose(id as GpuData),
    kernels,
    beginStep: () => executor.beginStep(),
    endStep: (completed) => executor.endStep(completed),
    stats: () => ({ fallbacks: { ...fallbacks } }),
  };

  /** The reference kernel on host copies (what the engine does for kernels missing from a table). */
  function fallback(name: string, inputs: KernelTensor[], attrs: KernelAttrs): KernelTensor[] {
    fallbacks[name] = (fallbacks[name] ?? 0) + 1;
    // Host work inside a step: the executor splits segments at the reads; a graph cannot replay it.
    (executor as { markUncapturable?(reason: string): void }).markUncapturable?.(`${name} ran the reference kernel on the host`);
    const kernel = getKernel(name);
    const host = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: read(data(t)) }));
    const res = kernel.reference(host, attrs);
    for (const i of kernel.mutatesInputs ?? []) overwrite(data(inputs[i]), host[i].values);
    return res.map((o) => ({ dataId: write(o.values, o.dtype), shape: o.shape, dtype: o.dtype }));
  }

  /** Registers a device kernel; it returns null for a case it leaves to the reference. */
  const def = (name: string, run: (inputs: KernelTensor[], attrs: KernelAttrs) => KernelTensor[] | null): void => {
    kernels[name] = (inputs, attrs) => {
      if (float64Mode() || !inputs.every(onDevice)) return fallback(name, inputs, attrs);
      return run(inputs, attrs) ?? fallback(name, inputs, attrs);
    };
  };

  // ------------------------------------------------------------------ GEMM
  def('MatMul', ([a, b, bias], attrs) => {
    const act = ACTIVATION[attrs.activation as string];
    if (act === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return null;
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new Error(`matMul: expects rank-2 inputs, got [${a.shape}] and [${b.shape}]`);
    const tA = !!attrs.transposeA, tB = !!attrs.transposeB;
    const M = tA ? a.shape[1] : a.shape[0];
    const K = tA ? a.shape[0] : a.shape[1];
    const kb = tB ? b.shape[1] : b.shape[0];
    const N = tB ? b.shape[0] : b.shape[1];
    if (K !== kb) throw new Error(`matMul: inner dimensions differ: [${a.shape}]${tA ? 'ᵀ' : ''} · [${b.shape}]${tB ? 'ᵀ' : ''} (${K} vs ${kb})`);
    if (bias && sizeOf(bias.shape) !== N) throw new Error(`matMul: bias [${bias.shape}] must have ${N} values`);
    const c = out('float32', [M, N]);
    if (M * N === 0) return [c];
    // Operand pointers: a, b, c, then bias (0 without one).
    const operands = bias ? [a, b, c, bias] : [a, b, c];
    const biasOf = (p: number[]): number => p[3] ?? 0;
    if (K === 0) {
      // No products: C = act(bias) (cuBLASLt is not asked for an empty reduction).
      launch('MatMul.k0', operands, `${act}`, (p) => {
        addon.fillF32(p[2], 0, M * N);
        if (bias || act !== 0) addon.biasAct(p[2], biasOf(p), M, N, act);
      });
      return [c];
    }
    let scratchPtr = 0;
    if (precision === 1) {
      const need = 2 * (M * K + K * N);
      if (!scratch || scratch.bytes < need) {
        if (scratch) executor.free(scratch);
        scratch = executor.alloc(need);
      }
      scratchPtr = scratch.ptr;
    }
    const ws = workspace.ptr;
    launch('MatMul', operands, `${tA ? 1 : 0}${tB ? 1 : 0}|${act}|p${precision}|w${ws}|s${scratchPtr}`, (p) =>
      addon.gemm(M, N, K, p[0], tA, p[1], tB, p[2], biasOf(p), act, precision, ws, WORKSPACE_BYTES, scratchPtr));
    return [c];
  });

  // ------------------------------------------------------------------ elementwise
  for (const [name, op] of Object.entries(GPU_UNARY)) {
    def(name, ([x]) => {
      if (x.dtype !== 'float32') return null;
      const o = out('float32', [...x.shape]);
      const n = sizeOf(x.shape);
      if (n > 0) launch(name, [x, o], `${op}`, (p) => addon.unary(op, p[0], p[1], n));
      return [o];
    });
  }

  for (const [name, op] of Object.entries(GPU_BINARY)) {
    def(name, ([x, y]) => {
      const int32 = x.dtype === 'int32' && y.dtype === 'int32';
      // int32 with int32: add, sub, mul, maximum, minimum and comparisons run binaryI32; Div and Pow (float
      // results), mixed dtypes and general broadcasts of int32 stay on the reference.
      if (int32 ? !INT32_BINARY.has(op) : x.dtype !== 'float32' || y.dtype !== 'float32') return null;
      const shape = broadcastShapes(x.shape, y.shape, name);
      const nx = sizeOf(x.shape), ny = sizeOf(y.shape);
      const last = x.shape[x.shape.length - 1];
      let mode = -1;
      if (sameShape(x.shape, y.shape)) mode = 0;
      else if (ny === 1 && y.shape.length <= x.shape.length) mode = 1;
      else if (nx === 1 && x.shape.length <= y.shape.length) mode = 2;
      else if (x.shape.length >= 1 && y.shape.length >= 1 && y.shape.length <= x.shape.length && ny === last && y.shape[y.shape.length - 1] === last) mode = 3;
      else if (last > 0 && isPerRow(x.shape, y.shape)) mode = 4;
      else if (shape.length > MAX_RANK || int32) return null;
      const o = out(int32 && op < 7 ? 'int32' : 'float32', shape);
      const n = sizeOf(shape);
      if (n === 0) return [o];
      if (int32) {
        const inner = mode === 3 || mode === 4 ? last : 0;
        launch(`${name}.i32`, [x, y, o], `${op}|${mode}`, (p) => addon.binaryI32(op, mode, p[0], p[1], p[2], n, inner));
      } else if (mode >= 0) {
        const inner = mode === 3 || mode === 4 ? last : 0;
        launch(name, [x, y, o], `${op}|${mode}`, (p) => addon.binary(op, mode, p[0], p[1], p[2], n, inner));
      } else {
        const xs = broadcastStrides(x.shape, shape)!, ys = broadcastStrides(y.shape, shape)!;
        launch(`${name}.strided`, [x, y, o], `${op}`, (p) => addon.binaryStrided(op, p[0], p[1], p[2], shape, xs, ys));
      }
      return [o];
    });
  }

  def('BroadcastTo', ([x], attrs) => {
    const shape = [...(attrs.shape as number[])];
    const strides = broadcastStrides(x.shape, shape);
    if (!strides || shape.length > MAX_RANK) return null;
    const o = out(x.dtype, shape);
    const n = sizeOf(shape);
    if (n === 0) return [o];
    if (sizeOf(x.shape) === n) launch('BroadcastTo.copy', [x, o], '', (p) => addon.copyDeviceToDevice(p[1], p[0], n * 4));
    else launch('BroadcastTo', [x, o], '', (p) => addon.broadcastTo(p[0], p[1], shape, strides));
    return [o];
  });

  const copyKernel = (name: string) => ([x]: KernelTensor[], attrs: KernelAttrs): KernelTensor[] => {
    const dtype = (name === 'Cast' ? attrs.dtype : x.dtype) as DType;
    const o = out(dtype, [...x.shape]);
    const n = sizeOf(x.shape);
    if (n === 0) return [o];
    if (dtype === x.dtype) launch(`${name}.copy`, [x, o], '', (p) => addon.copyDeviceToDevice(p[1], p[0], n * 4));
    else if (dtype === 'int32') launch('Cast.f32i32', [x, o], '', (p) => addon.castF32I32(p[0], p[1], n));
    else launch('Cast.i32f32', [x, o], '', (p) => addon.castI32F32(p[0], p[1], n));
    return [o];
  };
  def('Cast', (inputs, attrs) => (attrs.dtype === 'float32' || attrs.dtype === 'int32' ? copyKernel('Cast')(inputs, attrs) : null));
  def('Identity', copyKernel('Identity'));

  def('ReluGrad', ([dy, y]) => {
    const n = sizeOf(dy.shape);
    if (dy.dtype !== 'float32' || y.dtype !== 'float32' || sizeOf(y.shape) !== n) return null;
    const o = out('float32', [...dy.shape]);
    if (n > 0) launch('ReluGrad', [dy, y, o], '', (p) => addon.reluGrad(p[0], p[1], p[2], n));
    return [o];
  });

  def('ReluGradBiasSum', ([dy, y]) => {
    const C = dy.shape[dy.shape.length - 1];
    const n = sizeOf(dy.shape);
    if (dy.dtype !== 'float32' || y.dtype !== 'float32' || sizeOf(y.shape) !== n || !(C > 0)) return null;
    const g = out('float32', [...dy.shape]), db = out('float32', [C]);
    const rows = n / C;
    if (rows === 0) launch('ReluGradBiasSum.empty', [db], '', (p) => addon.fillF32(p[0], 0, C));
    else launch('ReluGradBiasSum', [dy, y, g, db], '', (p) => addon.reluGradBiasSum(p[0], p[1], rows, C, p[2], p[3]));
    return [g, db];
  });

  // ------------------------------------------------------------------ reductions
  /** Reduce x over the sorted `axes` (op 0 sum, 1 max): one launch per run of contiguous axes, last run first. */
  const reduce = (name: string, op: 0 | 1) => ([x]: KernelTensor[], attrs: KernelAttrs): KernelTensor[] | null => {
    if (x.dtype !== 'float32') return null;
    const axes = [...(attrs.axes as number[])].sort((a, b) => a - b);
    const r = x.shape.length;
    if (axes.some((a) => !(a >= 0 && a < r))) return null;
    const outShape: number[] = [];
    for (let i = 0; i < r; i++) if (!axes.includes(i)) outShape.push(x.shape[i]); else if (attrs.keepDims) outShape.push(1);
    const o = out('float32', outShape);
    const n = sizeOf(outShape);
    if (n === 0) return [o];
    if (sizeOf(x.shape) === 0) {
      launch(`${name}.empty`, [o], '', (p) => addon.fillF32(p[0], op === 0 ? 0 : -Infinity, n));
      return [o];
    }
    const runs: [number, number][] = [];
    for (const a of axes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === a - 1) last[1] = a;
      else runs.push([a, a]);
    }
    if (runs.length === 0) {
      launch(`${name}.copy`, [x, o], '', (p) => addon.copyDeviceToDevice(p[1], p[0], n * 4));
      return [o];
    }
    const shape = [...x.shape];
    let src = x;
    for (let k = runs.length - 1; k >= 0; k--) {
      const [lo, hi] = runs[k];
      const outer = sizeOf(shape.slice(0, lo)), len = sizeOf(shape.slice(lo, hi + 1)), inner = sizeOf(shape.slice(hi + 1));
      for (let i = lo; i <= hi; i++) shape[i] = 1;
      const dst = k === 0 ? o : out('float32', [...shape]);
      const s = src;
      if (op === 0 && inner === 1) launch(`${name}.last`, [s, dst], `${outer}x${len}`, (p) => addon.sumLast(p[0], outer, len, p[1]));
      else if (op === 0 && outer === 1) launch(`${name}.rows`, [s, dst], `${len}x${inner}`, (p) => addon.sumRows(p[0], len, inner, p[1]));
      else launch(`${name}.mid`, [s, dst], `${op}|${outer}x${len}x${inner}`, (p) => addon.reduceMid(op, p[0], outer, len, inner, p[1]));
      if (s !== x) dispose(data(s));
      src = dst;
    }
    return [o];
  };
  def('Sum', reduce('Sum', 0));
  def('Max', reduce('Max', 1));

  def('ArgMax', ([x]) => {
    const m = x.shape[x.shape.length - 1];
    if (x.dtype !== 'float32' || !(m > 0)) return null;
    const o = out('int32', x.shape.slice(0, -1));
    const rows = sizeOf(x.shape) / m;
    if (rows > 0) launch('ArgMax', [x, o], '', (p) => addon.argmaxLast(p[0], rows, m, p[1]));
    return [o];
  });

  // ------------------------------------------------------------------ softmax and losses
  def('BceWithLogits', ([x, z]) => {
    const n = sizeOf(x.shape);
    if (x.dtype !== 'float32' || z.dtype !== 'float32' || sizeOf(z.shape) !== n) return null;
    const o = out('float32', [...x.shape]);
    if (n > 0) launch('BceWithLogits', [x, z, o], '', (p) => addon.bceWithLogits(p[0], p[1], p[2], n));
    return [o];
  });

  for (const [name, log] of [['Softmax', false], ['LogSoftmax', true]] as const) {
    def(name, ([x]) => {
      const m = x.shape[x.shape.length - 1];
      if (x.dtype !== 'float32' || !(m > 0)) return null;
      const o = out('float32', [...x.shape]);
      const rows = sizeOf(x.shape) / m;
      if (rows > 0) launch(name, [x, o], '', (p) => addon.softmax(p[0], rows, m, p[1], log));
      return [o];
    });
  }

  // A label outside [0, c) is recorded on the device and thrown (with the reference's message) by the next read.
  def('SparseSoftmaxCrossEntropy', ([logits, labels]) => {
    if (logits.shape.length !== 2 || logits.dtype !== 'float32' || labels.dtype !== 'int32') return null;
    const [n, c] = logits.shape;
    if (!(c > 0) || sizeOf(labels.shape) !== n) return null;
    const loss = out('float32', [n]), probs = out('float32', [n, c]);
    if (n > 0) launch('SparseSoftmaxCrossEntropy', [logits, labels, loss, probs], '', (p) =>
      addon.sparseSoftmaxCrossEntropy(p[0], p[1], n, c, p[2], p[3]));
    return [loss, probs];
  });

  def('OneHot', ([ids], attrs) => {
    const depth = attrs.depth as number;
    if (ids.dtype !== 'int32' || !Number.isInteger(depth) || depth < 0) return null;
    const o = out('float32', [...ids.shape, depth]);
    const n = sizeOf(ids.shape);
    if (n * depth > 0) launch('OneHot', [ids, o], `${depth}`, (p) => addon.oneHot(p[0], n, depth, 1, 0, p[1]));
    return [o];
  });

  // ------------------------------------------------------------------ embeddings
  // Negative ids are padding (zero rows, skipped rows) as in the reference; an id past the table is
  // recorded on the device and thrown by the next read.
  // The kernel moves 4-byte values without arithmetic, so an int32 table (resident categorical and
  // multi_hot columns, multiclass labels) uses the same launcher and its output is labelled int32.
  def('Gather', ([table, ids]) => {
    if (ids.dtype !== 'int32' || table.shape.length < 1) return null;
    const V = table.shape[0], D = sizeOf(table.shape.slice(1)), n = sizeOf(ids.shape);
    const o = out(table.dtype, [...ids.shape, ...table.shape.slice(1)]);
    if (n * D > 0) launch('Gather', [table, ids, o], '', (p) => addon.gather(p[0], V, D, p[1], n, p[2]));
    return [o];
  });

  def('ScatterAdd', ([values, rows], attrs) => {
    const numRows = attrs.numRows as number;
    if (values.dtype !== 'float32' || rows.dtype !== 'int32' || values.shape.length < 1 || !Number.isInteger(numRows) || numRows < 0) return null;
    const K = sizeOf(rows.shape), D = sizeOf(values.shape.slice(1));
    if (values.shape[0] !== K) return null;
    const o = out('float32', [numRows, ...values.shape.slice(1)]);
    if (numRows * D > 0) launch('ScatterAdd', [values, rows, o], `${numRows}`, (p) => addon.scatterAdd(p[0], D, p[1], K, numRows, p[2]));
    return [o];
  });

  // Static-size form (a CUDA Graph needs fixed shapes): [K] distinct rows ascending then −1, and
  // [K, ...] sums then zero rows. The consumers on this backend are the optimizer's norm (Σ g²: zero
  // rows add nothing), clipping (scales zeros) and the sparse update kernels (skip rows < 0).
  def('CoalesceRows', ([rows, values]) => {
    if (rows.dtype !== 'int32' || values.dtype !== 'float32' || values.shape.length < 1) return null;
    const K = sizeOf(rows.shape), D = sizeOf(values.shape.slice(1));
    if (values.shape[0] !== K) return null;
    const uniq = out('int32', [K]), sums = out('float32', [K, ...values.shape.slice(1)]);
    if (K === 0) return [uniq, sums];
    const count = executor.alloc(4);
    const scratchBlock = executor.alloc(Math.max(addon.coalesceScratchBytes(K, D), 4));
    launch('CoalesceRows', [rows, values, uniq, sums], `c${count.ptr}|s${scratchBlock.ptr}`, (p) =>
      addon.coalesceRows(p[0], p[1], K, D, p[2], p[3], count.ptr, scratchBlock.ptr));
    executor.free(count);
    executor.free(scratchBlock);
    return [uniq, sums];
  });

  // ------------------------------------------------------------------ data movement
  def('Concat', (inputs, attrs) => {
    const axis = attrs.axis as number;
    const dtype = inputs[0].dtype;
    if (inputs.some((t) => t.dtype !== dtype)) return null;
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((s, x) => s + x.shape[axis], 0);
    const outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
    const rowOut = shape[axis] * inner;
    const o = out(dtype, shape);
    if (outer * rowOut === 0) return [o];
    let colOff = 0;
    for (const x of inputs) {
      const w = x.shape[axis] * inner, off = colOff;
      if (w > 0) launch('Concat', [x, o], `${off}|${rowOut}|${outer}|${w}`, (p) => addon.copyRows(p[0], 0, w, p[1], off, rowOut, outer, w));
      colOff += w;
    }
    return [o];
  });

  /** Copy the box `size` at srcBegin of src into dst at dstBegin: copyRows over the last two merged axes, one
   *  launch per index of the leading ones (callers check that count against MAX_BOX_LAUNCHES with mergeBox). */
  function copyBox(name: string, src: KernelTensor, dst: KernelTensor, srcShape: number[], dstShape: number[], size: number[], srcBegin: number[], dstBegin: number[]): void {
    if (sizeOf(size) === 0) return;
    // Merge axes that are whole in both source and destination.
    let s = [srcShape[0]], d = [dstShape[0]], z = [size[0]], sb = [srcBegin[0]], db = [dstBegin[0]];
    for (let i = 1; i < size.length; i++) {
      const k = s.length - 1;
      const whole = srcBegin[i] === 0 && dstBegin[i] === 0 && size[i] === srcShape[i] && size[i] === dstShape[i];
      if (whole) {
        s[k] *= size[i]; d[k] *= size[i]; z[k] *= size[i]; sb[k] *= size[i]; db[k] *= size[i];
      } else {
        s.push(srcShape[i]); d.push(dstShape[i]); z.push(size[i]); sb.push(srcBegin[i]); db.push(dstBegin[i]);
      }
    }
    if (s.length === 1) [s, d, z, sb, db] = [[1, ...s], [1, ...d], [1, ...z], [0, ...sb], [0, ...db]];
    const r = s.length;
    const lead = z.slice(0, r - 2);
    const launches = sizeOf(lead);
    const sStr = new Array<number>(r), dStr = new Array<number>(r);
    sStr[r - 1] = 1; dStr[r - 1] = 1;
    for (let i = r - 2; i >= 0; i--) { sStr[i] = sStr[i + 1] * s[i + 1]; dStr[i] = dStr[i + 1] * d[i + 1]; }
    const counter = new Array<number>(lead.length).fill(0);
    for (let l = 0; l < launches; l++) {
      let so = sb[r - 2] * sStr[r - 2] + sb[r - 1], dof = db[r - 2] * dStr[r - 2] + db[r - 1];
      for (let i = 0; i < lead.length; i++) { so += (counter[i] + sb[i]) * sStr[i]; dof += (counter[i] + db[i]) * dStr[i]; }
      const rows = z[r - 2], width = z[r - 1], ss = sStr[r - 2], ds = dStr[r - 2];
      launch(name, [src, dst], `${so}|${ss}|${dof}|${ds}|${rows}x${width}`, (p) => addon.copyRows(p[0], so, ss, p[1], dof, ds, rows, width));
      for (let i = lead.length - 1; i >= 0; i--) {
        if (++counter[i] < lead[i]) break;
        counter[i] = 0;
      }
    }
  }

  def('Slice', ([x], attrs) => {
    const begin = attrs.begin as number[], size = attrs.size as number[];
    if (x.shape.length === 0 || begin.length !== x.shape.length || size.length !== x.shape.length) return null;
    if (x.shape.some((dim, i) => begin[i] < 0 || size[i] < 0 || begin[i] + size[i] > dim)) return null;
    const box = mergeBox(x.shape, begin, size);
    if (sizeOf(box.size.slice(0, -2)) > MAX_BOX_LAUNCHES) return null;
    const o = out(x.dtype, [...size]);
    copyBox('Slice', x, o, x.shape, [...size], [...size], begin, size.map(() => 0));
    return [o];
  });

  def('Pad', ([x], attrs) => {
    const before = attrs.before as number[], after = attrs.after as number[];
    if (x.shape.length === 0 || before.length !== x.shape.length || after.length !== x.shape.length) return null;
    if (before.some((v) => v < 0) || after.some((v) => v < 0)) return null;
    const shape = x.shape.map((dim, i) => dim + before[i] + after[i]);
    const box = mergeBox(shape, before, [...x.shape]);
    if (sizeOf(box.size.slice(0, -2)) > MAX_BOX_LAUNCHES) return null;
    const o = out(x.dtype, shape);
    const n = sizeOf(shape);
    if (n === 0) return [o];
    launch('Pad.zero', [o], '', (p) => addon.memsetZero(p[0], n * 4));
    copyBox('Pad', x, o, [...x.shape], shape, [...x.shape], x.shape.map(() => 0), before);
    return [o];
  });

  def('Transpose', ([x], attrs) => {
    const perm = attrs.perm as number[];
    const r = x.shape.length;
    if (perm.length !== r || r > MAX_RANK) return null;
    const o = out(x.dtype, perm.map((p) => x.shape[p]));
    const n = sizeOf(x.shape);
    if (n === 0) return [o];
    if (perm.every((p, i) => p === i)) launch('Transpose.copy', [x, o], '', (p) => addon.copyDeviceToDevice(p[1], p[0], n * 4));
    else launch('Transpose', [x, o], perm.join(','), (p) => addon.transpose(p[0], p[1], [...x.shape], perm));
    return [o];
  });

  // ------------------------------------------------------------------ optimizers
  /** This call's AtlOptScalars into the device buffer (a write in stream order, so a replayed graph sees it). */
  function writeScalars(s: Partial<Record<'lr' | 'beta1' | 'beta2' | 'eps' | 'bc1' | 'bc2' | 'l2' | 'weightDecay' | 'momentum', number>>): number {
    executor.write(optScalars, Float32Array.of(s.lr ?? 0, s.beta1 ?? 0, s.beta2 ?? 0, s.eps ?? 0, s.bc1 ?? 0, s.bc2 ?? 0, s.l2 ?? 0, s.weightDecay ?? 0, s.momentum ?? 0));
    return optScalars.ptr;
  }

  /** Dense or sparse layout of an update, with the reference's shape check. */
  function layout(param: KernelTensor, grad: KernelTensor, rows: KernelTensor | undefined): { k: number; width: number; n: number } | null {
    const n = sizeOf(param.shape);
    if (!rows) {
      if (sizeOf(grad.shape) !== n) throw new Error(`optimizer update: grad [${grad.shape}] does not match param [${param.shape}]`);
      return { k: 0, width: 0, n };
    }
    if (rows.dtype !== 'int32') return null;
    const width = param.shape[0] === 0 ? 0 : n / param.shape[0];
    const k = sizeOf(rows.shape);
    if (sizeOf(grad.shape) !== k * width) return null;
    return { k, width, n };
  }

  const floatsIn = (ts: KernelTensor[]): boolean => ts.every((t) => t.dtype === 'float32');

  for (const name of ['AdamUpdate', 'AdamWUpdate'] as const) {
    const decoupled = name === 'AdamWUpdate';
    def(name, ([p, g, m, v, rows], a) => {
      if (!floatsIn([p, g, m, v])) return null;
      const l = layout(p, g, rows);
      if (!l) return null;
      if (l.n === 0 || (rows && l.k * l.width === 0)) return [];
      const sc = writeScalars({
        lr: a.lr, beta1: a.beta1, beta2: a.beta2, eps: a.eps, bc1: 1 - Math.pow(a.beta1, a.step), bc2: 1 - Math.pow(a.beta2, a.step),
        l2: a.l2 ?? 0, weightDecay: decoupled ? (a.weightDecay ?? 0) : 0,
      });
      const ops = rows ? [p, g, m, v, rows] : [p, g, m, v];
      launch(name, ops, `${l.k}x${l.width}|${sc}`, (q) => addon.adam(q[0], q[1], q[2], q[3], q[4] ?? 0, l.k, l.width, l.n, sc, decoupled));
      return [];
    });
  }

  def('SgdMomentumUpdate', ([p, g, vel, rows], a) => {
    if (!floatsIn([p, g, vel])) return null;
    const l = layout(p, g, rows);
    if (!l) return null;
    if (l.n === 0 || (rows && l.k * l.width === 0)) return [];
    const sc = writeScalars({ lr: a.lr, momentum: a.momentum ?? 0, l2: a.l2 ?? 0 });
    const nesterov = !!a.nesterov;
    const ops = rows ? [p, g, vel, rows] : [p, g, vel];
    launch('SgdMomentumUpdate', ops, `${l.k}x${l.width}|${nesterov ? 1 : 0}|${sc}`, (q) =>
      addon.sgd(q[0], q[1], q[2], q[3] ?? 0, l.k, l.width, l.n, sc, nesterov));
    return [];
  });

  def('AdagradUpdate', ([p, g, acc, rows], a) => {
    if (!floatsIn([p, g, acc])) return null;
    const l = layout(p, g, rows);
    if (!l) return null;
    if (l.n === 0 || (rows && l.k * l.width === 0)) return [];
    const sc = writeScalars({ lr: a.lr, eps: a.eps, l2: a.l2 ?? 0 });
    const ops = rows ? [p, g, acc, rows] : [p, g, acc];
    launch('AdagradUpdate', ops, `${l.k}x${l.width}|${sc}`, (q) => addon.adagrad(q[0], q[1], q[2], q[3] ?? 0, l.k, l.width, l.n, sc));
    return [];
  });

  return backend;
}

/** Kernels the cuda backend runs on the device (everything else: the reference on host copies). */
export const GPU_KERNELS: readonly string[] = [
  'MatMul', ...Object.keys(GPU_UNARY), ...Object.keys(GPU_BINARY), 'BroadcastTo', 'Cast', 'Identity', 'ReluGrad', 'ReluGradBiasSum', 'Sum', 'Max',
  'ArgMax', 'BceWithLogits', 'Softmax', 'LogSoftmax', 'SparseSoftmaxCrossEntropy', 'OneHot', 'Gather', 'ScatterAdd', 'CoalesceRows', 'Concat',
  'Slice', 'Pad', 'Transpose', 'AdamUpdate', 'AdamWUpdate', 'SgdMomentumUpdate', 'AdagradUpdate',
];
