// Reductions. `axes` default to all; negative axes count from the end.
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { div } from './binary.js';
import { normAxis } from './convert.js';
import { reshape } from './shape.js';
import { cast } from './unary.js';

function axesOf(x: Tensor, axes: number | number[] | undefined, op: string): number[] {
  if (axes === undefined) return x.shape.map((_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  return [...new Set(list.map((a) => normAxis(a, x.rank, op)))].sort((a, b) => a - b);
}

export function sum(x: Tensor, axes?: number | number[], keepDims = false): Tensor {
  const xf = x.dtype === 'int32' ? cast(x, 'float32') : x;
  return runKernel('Sum', [xf], { axes: axesOf(x, axes, 'sum'), keepDims })[0];
}

export function mean(x: Tensor, axes?: number | number[], keepDims = false): Tensor {
  const ax = axesOf(x, axes, 'mean');
  const n = ax.reduce((p, a) => p * x.shape[a], 1);
  return div(sum(x, ax, keepDims), n);
}

export function max(x: Tensor, axes?: number | number[], keepDims = false): Tensor {
  return runKernel('Max', [x], { axes: axesOf(x, axes, 'max'), keepDims })[0];
}

/** Index of the largest value along the last axis (int32). */
export function argMax(x: Tensor): Tensor {
  return runKernel('ArgMax', [x])[0];
}

/** Sum `x` down to `shape` (the reverse of broadcasting); used by gradients. */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (x.rank === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  const s = axes.length ? runKernel('Sum', [x], { axes, keepDims: true })[0] : x;
  return reshape(s, [...shape]);
}
