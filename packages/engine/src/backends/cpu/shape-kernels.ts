// Data movement: Transpose, Concat, Slice and zero Pad (Pad is Slice's gradient).
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel, type DType, type TypedArray } from '../../kernels/registry.js';

function alloc(dtype: DType, n: number): TypedArray {
  return dtype === 'int32' ? new Int32Array(n) : allocFloat(n);
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

registerKernel({
  name: 'Transpose',
  reference: ([x], { perm }: { perm: number[] }) => {
    const outShape = perm.map((p) => x.shape[p]);
    const n = x.values.length;
    const out = alloc(x.dtype, n);
    if (x.shape.length === 2 && perm[0] === 1) {
      const [R, C] = x.shape;
      for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = x.values[r * C + c];
    } else {
      const inStr = stridesOf(x.shape);
      const srcStr = perm.map((p) => inStr[p]);
      const rank = outShape.length;
      const counter = new Array<number>(rank).fill(0);
      let off = 0;
      for (let i = 0; i < n; i++) {
        out[i] = x.values[off];
        for (let d = rank - 1; d >= 0; d--) {
          counter[d]++;
          off += srcStr[d];
          if (counter[d] < outShape[d]) break;
          off -= srcStr[d] * counter[d];
          counter[d] = 0;
        }
      }
    }
    return [{ shape: outShape, dtype: x.dtype, values: out }];
  },
});

registerKernel({
  name: 'Concat',
  reference: (xs, { axis }: { axis: number }) => {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= shape[i];
    const inner = stridesOf(shape)[axis];
    const out = alloc(xs[0].dtype, outer * shape[axis] * inner);
    const rowOut = shape[axis] * inner;
    let colOff = 0;
    for (const x of xs) {
      const w = x.shape[axis] * inner;
      for (let o = 0; o < outer; o++) out.set(x.values.subarray(o * w, o * w + w), o * rowOut + colOff);
      colOff += w;
    }
    return [{ shape, dtype: xs[0].dtype, values: out }];
  },
});

function copyBox(src: TypedArray, srcShape: readonly number[], dst: TypedArray, dstShape: readonly number[], size: readonly number[], srcBegin: readonly number[], dstBegin: readonly number[]): void {
  const rank = size.length;
  const ss = stridesOf(srcShape), ds = stridesOf(dstShape);
  let total = 1;
  for (const d of size) total *= d;
  if (total === 0) return;
  const inner = size[rank - 1];
  const counter = new Array<number>(rank).fill(0);
  for (let done = 0; done < total; done += inner) {
    let so = 0, dof = 0;
    for (let d = 0; d < rank; d++) {
      so += (counter[d] + srcBegin[d]) * ss[d];
      dof += (counter[d] + dstBegin[d]) * ds[d];
    }
    dst.set(src.subarray(so, so + inner), dof);
    for (let d = rank - 2; d >= 0; d--) {
      if (++counter[d] < size[d]) break;
      counter[d] = 0;
    }
  }
}

registerKernel({
  name: 'Slice',
  reference: ([x], { begin, size }: { begin: number[]; size: number[] }) => {
    let n = 1;
    for (const d of size) n *= d;
    const out = alloc(x.dtype, n);
    copyBox(x.values, x.shape, out, size, size, begin, size.map(() => 0));
    return [{ shape: [...size], dtype: x.dtype, values: out }];
  },
});

registerKernel({
  name: 'Pad',
  reference: ([x], { before, after }: { before: number[]; after: number[] }) => {
    const shape = x.shape.map((d, i) => d + before[i] + after[i]);
    let n = 1;
    for (const d of shape) n *= d;
    const out = alloc(x.dtype, n);
    copyBox(x.values, x.shape, out, shape, x.shape, x.shape.map(() => 0), before);
    return [{ shape, dtype: x.dtype, values: out }];
  },
});
