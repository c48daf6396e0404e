// Reductions over arbitrary axes (Sum, Max) and ArgMax over the last axis.
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel, type HostTensor } from '../../kernels/registry.js';
import { broadcastIndex } from './broadcast.js';

export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

function reduce(x: HostTensor, axes: number[], keepDims: boolean, init: number, isMax: boolean): HostTensor {
  const keep = reducedShape(x.shape, axes, true);
  const outShape = reducedShape(x.shape, axes, keepDims);
  let n = 1;
  for (const d of keep) n *= d;
  const out = allocFloat(n);
  const v = x.values;
  const last = x.shape.length - 1;
  if (!isMax && axes.length === 1 && axes[0] === last) {
    const m = x.shape[last];
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let j = r * m, e = j + m; j < e; j++) s += v[j];
      out[r] = s;
    }
  } else if (!isMax && axes.length === 1 && axes[0] === 0) {
    // Column sums (bias gradients): stream rows, accumulate in float64.
    const acc = new Float64Array(n);
    for (let i = 0; i < v.length; i += n) for (let j = 0; j < n; j++) acc[j] += v[i + j];
    out.set(acc);
  } else {
    out.fill(init);
    const idx = broadcastIndex(keep, x.shape);
    if (isMax) for (let i = 0; i < v.length; i++) { const o = idx[i]; if (v[i] > out[o] || Number.isNaN(v[i])) out[o] = v[i]; }
    else for (let i = 0; i < v.length; i++) out[idx[i]] += v[i];
  }
  return { shape: outShape, dtype: 'float32', values: out };
}

registerKernel({
  name: 'Sum',
  reference: ([x], { axes, keepDims }: { axes: number[]; keepDims: boolean }) => [reduce(x, axes, keepDims, 0, false)],
});

registerKernel({
  name: 'Max',
  reference: ([x], { axes, keepDims }: { axes: number[]; keepDims: boolean }) => [reduce(x, axes, keepDims, -Infinity, true)],
});

registerKernel({
  name: 'ArgMax',
  reference: ([x]) => {
    const m = x.shape[x.shape.length - 1];
    const n = x.values.length / m;
    const out = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      let best = 0;
      for (let j = 1; j < m; j++) if (x.values[r * m + j] > x.values[r * m + best]) best = j;
      out[r] = best;
    }
    return [{ shape: x.shape.slice(0, -1), dtype: 'int32', values: out }];
  },
});
