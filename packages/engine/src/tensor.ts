// The user-facing tensor: shape, dtype and a handle to backend storage. Ops live in ops/.
import { adoptVariable, disposeTensor, makeTensor, newTensorId, readSync, writeBack } from './engine.js';
import { allocFloat, toFloatArray } from './kernels/float-storage.js';
import type { DType, DataId, TypedArray } from './kernels/registry.js';

export type { DType, TypedArray } from './kernels/registry.js';

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export class Tensor {
  readonly id: number;
  readonly size: number;
  isDisposed = false;
  /** Set by keep(): tidy scopes leave this tensor alone. */
  kept = false;

  constructor(
    readonly shape: number[],
    readonly dtype: DType,
    public dataId: DataId,
  ) {
    this.id = newTensorId();
    this.size = sizeOf(shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values on the host. */
  dataSync(): TypedArray {
    return readSync(this).slice() as TypedArray;
  }

  /** Values as a plain array (tests and debugging; not for hot paths). */
  toArray(): number[] {
    return Array.from(readSync(this));
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item(): tensor has shape [${this.shape}], expected one element`);
    return readSync(this)[0];
  }

  dispose(): void {
    disposeTensor(this);
  }

  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape}])`;
  }
}

/**
 * A trainable (or state) tensor. Variables are never freed by tidy; optimizers update them in
 * place through fused kernels, and `assign` replaces their values.
 */
export class Variable extends Tensor {
  constructor(
    value: Tensor,
    readonly name: string,
    public trainable = true,
  ) {
    super(value.shape, value.dtype, value.dataId);
    // Take over the storage: `value` is consumed (disposed) and its storage lives on here.
    this.kept = true;
    adoptVariable(this, value);
  }

  /** Copy `values` into this variable's storage (same shape and dtype). */
  assign(values: Tensor | TypedArray): void {
    const src = values instanceof Tensor ? readSync(values) : values;
    if (src.length !== this.size) throw new Error(`assign: variable '${this.name}' [${this.shape}] got ${src.length} values`);
    const dst = readSync(this);
    dst.set(src);
    writeBack(this, dst);
  }
}

// ---------------------------------------------------------------- creation helpers

export type TensorLike = number | number[] | number[][] | number[][][] | TypedArray | Float64Array;

function flatten(x: unknown, out: number[]): void {
  if (Array.isArray(x)) for (const v of x) flatten(v, out);
  else out.push(x as number);
}

function inferShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** Create a tensor from nested arrays or a typed array (shape required for flat data of rank ≠ 1). */
export function tensor(values: TensorLike, shape?: number[], dtype?: DType): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (ArrayBuffer.isView(values)) {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  } else {
    const out: number[] = [];
    flatten(values, out);
    flat = out;
    inferred = inferShape(values);
  }
  const s = shape ?? inferred;
  if (sizeOf(s) !== flat.length) throw new Error(`tensor: shape [${s}] needs ${sizeOf(s)} values, got ${flat.length}`);
  const dt: DType = dtype ?? (values instanceof Int32Array ? 'int32' : 'float32');
  const arr: TypedArray = dt === 'int32' ? Int32Array.from(flat) : toFloatArray(flat);
  return makeTensor(arr, [...s], dt);
}

export function scalar(v: number, dtype: DType = 'float32'): Tensor {
  return tensor(v, [], dtype);
}

export function zeros(shape: number[], dtype: DType = 'float32'): Tensor {
  const n = sizeOf(shape);
  return makeTensor(dtype === 'int32' ? new Int32Array(n) : allocFloat(n), [...shape], dtype);
}

export function fill(shape: number[], value: number, dtype: DType = 'float32'): Tensor {
  const n = sizeOf(shape);
  const arr = dtype === 'int32' ? new Int32Array(n) : allocFloat(n);
  arr.fill(value);
  return makeTensor(arr, [...shape], dtype);
}

export function ones(shape: number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Wrap a typed array without copying (the tensor takes ownership). */
export function fromTyped(values: TypedArray, shape: number[]): Tensor {
  if (sizeOf(shape) !== values.length) throw new Error(`fromTyped: shape [${shape}] needs ${sizeOf(shape)} values, got ${values.length}`);
  return makeTensor(values, [...shape], values instanceof Int32Array ? 'int32' : 'float32');
}
