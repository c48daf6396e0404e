// Gradient/hessian histograms: for each feature, per bin, the sums of g and h over a node's rows.
// Layout: one Float64Array per node, feature f's bin b at [(f·256 + b)·2] (g) and [… + 1] (h) — a fixed
// 256-bin stride so the kernel computes offsets with shifts, and 50 features fit in 200 KB (L2).
// Histogram subtraction: a parent's histogram minus its smaller child's is the larger child's, so each
// split scans only the smaller child's rows.

export const BIN_STRIDE = 256;

/** A histogram-building kernel (the TypeScript one below, or a native one from engine-cpu). */
export type HistogramKernel = (
  bins: Uint8Array,
  numFeatures: number,
  rows: Int32Array,
  start: number,
  end: number,
  grad: Float64Array,
  hess: Float64Array,
  out: Float64Array,
) => void;

export function histogramSize(numFeatures: number): number {
  return numFeatures * BIN_STRIDE * 2;
}

/** Zero `out`, then accumulate rows[start, end) into it. */
export const buildHistogramTs: HistogramKernel = (bins, numFeatures, rows, start, end, grad, hess, out) => {
  out.fill(0);
  const F = numFeatures | 0;
  for (let i = start; i < end; i++) {
    const r = rows[i];
    const g = grad[r];
    const h = hess[r];
    const base = r * F;
    for (let f = 0; f < F; f++) {
      const o = ((f << 8) | bins[base + f]) << 1;
      out[o] += g;
      out[o + 1] += h;
    }
  }
};

/** target = parent − child, in place on target's storage (target may be parent). */
export function subtractHistogram(parent: Float64Array, child: Float64Array, target: Float64Array): void {
  for (let i = 0; i < parent.length; i++) target[i] = parent[i] - child[i];
}

/** A free list of histogram buffers (one per open leaf at most). */
export class HistogramPool {
  private free: Float64Array[] = [];
  constructor(private readonly size: number) {}
  get(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }
  release(h: Float64Array | null): void {
    if (h) this.free.push(h);
  }
}
