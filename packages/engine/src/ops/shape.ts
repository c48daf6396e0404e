// Shape ops: reshape (free: shares storage), transpose, concat, slice, pad, broadcastTo.
import { recordNode, shareStorage, runKernel } from '../engine.js';
import { broadcastShapes, sameShape } from '../backends/cpu/broadcast.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { normAxis } from './convert.js';

export function reshape(x: Tensor, shape: number[]): Tensor {
  const s = [...shape];
  const inferIdx = s.indexOf(-1);
  if (inferIdx >= 0) {
    const known = s.reduce((p, d, i) => (i === inferIdx ? p : p * d), 1);
    s[inferIdx] = known === 0 ? 0 : x.size / known;
  }
  if (sizeOf(s) !== x.size) throw new Error(`reshape: cannot reshape [${x.shape}] (${x.size} values) to [${shape}]`);
  const out = shareStorage(x, s);
  recordNode('Reshape', [x], [out], { shape: s });
  return out;
}

export function transpose(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort().some((v, i) => v !== i)) throw new Error(`transpose: perm [${p}] is not a permutation for shape [${x.shape}]`);
  return runKernel('Transpose', [x], { perm: p })[0];
}

export function concat(xs: Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new Error('concat: needs at least one tensor');
  const ax = normAxis(axis, xs[0].rank, 'concat');
  for (const x of xs) {
    if (x.rank !== xs[0].rank || x.dtype !== xs[0].dtype || x.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new Error(`concat: shapes ${xs.map((t) => `[${t.shape}]${t.dtype}`).join(', ')} differ outside axis ${ax}`);
    }
  }
  if (xs.length === 1) return runKernel('Identity', xs)[0];
  return runKernel('Concat', xs, { axis: ax })[0];
}

/** size -1 means "to the end". */
export function slice(x: Tensor, begin: number[], size: number[]): Tensor {
  if (begin.length !== x.rank || size.length !== x.rank) throw new Error(`slice: begin [${begin}] / size [${size}] must have rank ${x.rank} for [${x.shape}]`);
  const sz = size.map((s, i) => (s < 0 ? x.shape[i] - begin[i] : s));
  for (let i = 0; i < x.rank; i++) {
    if (begin[i] < 0 || begin[i] + sz[i] > x.shape[i]) throw new Error(`slice: begin [${begin}] size [${size}] is outside [${x.shape}]`);
  }
  return runKernel('Slice', [x], { begin: [...begin], size: sz })[0];
}

export function pad(x: Tensor, before: number[], after: number[]): Tensor {
  return runKernel('Pad', [x], { before, after })[0];
}

export function broadcastTo(x: Tensor, shape: number[]): Tensor {
  const s = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!sameShape(s, shape)) throw new Error(`broadcastTo: cannot broadcast [${x.shape}] to [${shape}]`);
  if (sameShape(x.shape, shape)) return runKernel('Identity', [x])[0];
  return runKernel('BroadcastTo', [x], { shape: [...shape] })[0];
}

export function expandDims(x: Tensor, axis = 0): Tensor {
  const s = [...x.shape];
  s.splice(axis < 0 ? x.rank + 1 + axis : axis, 0, 1);
  return reshape(x, s);
}

export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normAxis(axis, x.rank, 'squeeze');
  if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${axis} of [${x.shape}] is not 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}
