// Grows one regression tree on gradients/hessians over binned rows. Depth-wise (XGBoost's default:
// level by level up to maxDepth) or leaf-wise (LightGBM's: always split the open leaf with the largest
// gain, up to maxLeaves). A node's rows are a contiguous segment of one index array, partitioned in
// place (stably) on each split; the smaller child's histogram is built from its rows and the larger's
// is the parent's minus it.
import type { FeatureBins } from './binning.js';
import { HistogramPool, subtractHistogram, type HistogramKernel } from './histogram.js';
import { findBestSplit, leafWeight, type SplitCandidate, type SplitParams } from './split-finder.js';
import type { NodeSpec } from './tree-ensemble.js';

export type GrowPolicy = 'depthwise' | 'lossguide';

export interface TreeParams extends SplitParams {
  /** 0 = unlimited (leaf-wise only). */
  maxDepth: number;
  /** 0 = unlimited. */
  maxLeaves: number;
  growPolicy: GrowPolicy;
  learningRate: number;
}

export interface TreeData {
  bins: Uint8Array;
  numFeatures: number;
  featureBins: readonly FeatureBins[];
  grad: Float64Array;
  hess: Float64Array;
}

export interface LeafSegment {
  node: number;
  start: number;
  end: number;
}

export interface BuiltTree {
  nodes: NodeSpec[];
  /** Each leaf's rows: rows[start, end) of the array passed to growTree. */
  leaves: LeafSegment[];
}

/** Optional leaf value override (e.g. L1: the median residual), given the leaf's rows. */
export type LeafRefit = (rows: Int32Array, start: number, end: number) => number;

interface Open {
  node: number;
  depth: number;
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

export class TreeBuilder {
  private readonly pool: HistogramPool;
  private scratch = new Int32Array(0);

  constructor(
    private readonly kernel: HistogramKernel,
    histogramSize: number,
  ) {
    this.pool = new HistogramPool(histogramSize);
  }

  grow(data: TreeData, rows: Int32Array, numRows: number, features: Int32Array, p: TreeParams, refit?: LeafRefit): BuiltTree {
    if (this.scratch.length < numRows) this.scratch = new Int32Array(numRows);
    const { grad, hess } = data;
    let G = 0;
    let H = 0;
    for (let i = 0; i < numRows; i++) {
      G += grad[rows[i]];
      H += hess[rows[i]];
    }
    const nodes: NodeSpec[] = [leafSpec(G, H, p)];
    const leaves: LeafSegment[] = [];
    const maxDepth = p.maxDepth > 0 ? p.maxDepth : Infinity;
    const maxLeaves = p.maxLeaves > 0 ? p.maxLeaves : Infinity;
    const splittable = (depth: number, count: number, h: number) => depth < maxDepth && count >= 2 && h >= 2 * p.minChildWeight;

    const open: Open[] = [];
    const root: Open = { node: 0, depth: 0, start: 0, end: numRows, g: G, h: H, hist: null, split: null };
    if (splittable(0, numRows, H) && maxLeaves > 1) {
      root.hist = this.pool.get();
      this.kernel(data.bins, data.numFeatures, rows, 0, numRows, grad, hess, root.hist);
      root.split = findBestSplit(root.hist, features, data.featureBins, G, H, p);
    }
    open.push(root);
    let numLeaves = 1;
    while (open.length > 0) {
      // depth-wise: first in, first out (level order); leaf-wise: the largest gain.
      let pick = 0;
      if (p.growPolicy === 'lossguide') {
        let best = -Infinity;
        for (let k = 0; k < open.length; k++) {
          const s = open[k].split;
          if (s && s.gain > best) {
            best = s.gain;
            pick = k;
          }
        }
      }
      const o = open.splice(pick, 1)[0];
      if (!o.split || numLeaves >= maxLeaves) {
        this.pool.release(o.hist);
        leaves.push({ node: o.node, start: o.start, end: o.end });
        continue;
      }
      const s = o.split;
      const mid = this.partition(data, rows, o.start, o.end, s);
      const l = nodes.length;
      const spec = nodes[o.node];
      spec.feature = s.feature;
      spec.threshold = s.catBits ? 0 : data.featureBins[s.feature].cuts[s.bin - 1];
      spec.defaultLeft = s.defaultLeft;
      spec.catBits = s.catBits;
      spec.left = l;
      spec.value = 0;
      spec.gain = s.gain;
      nodes.push(leafSpec(s.gl, s.hl, p), leafSpec(s.gr, s.hr, p));
      numLeaves++;
      const L: Open = { node: l, depth: o.depth + 1, start: o.start, end: mid, g: s.gl, h: s.hl, hist: null, split: null };
      const R: Open = { node: l + 1, depth: o.depth + 1, start: mid, end: o.end, g: s.gr, h: s.hr, hist: null, split: null };
      const canL = splittable(L.depth, L.end - L.start, L.h);
      const canR = splittable(R.depth, R.end - R.start, R.h);
      if ((canL || canR) && o.hist) {
        const [small, large] = L.end - L.start <= R.end - R.start ? [L, R] : [R, L];
        small.hist = this.pool.get();
        this.kernel(data.bins, data.numFeatures, rows, small.start, small.end, grad, hess, small.hist);
        const largeCan = large === L ? canL : canR;
        if (largeCan) {
          subtractHistogram(o.hist, small.hist, o.hist);
          large.hist = o.hist;
        } else this.pool.release(o.hist);
        if (!(small === L ? canL : canR)) {
          this.pool.release(small.hist);
          small.hist = null;
        }
      } else this.pool.release(o.hist);
      for (const c of [L, R]) {
        if (c.hist) c.split = findBestSplit(c.hist, features, data.featureBins, c.g, c.h, p);
        if (!c.split) {
          this.pool.release(c.hist);
          c.hist = null;
        }
        open.push(c);
      }
    }
    if (refit) for (const leaf of leaves) nodes[leaf.node].value = Math.fround(refit(rows, leaf.start, leaf.end) * p.learningRate);
    return { nodes, leaves };
  }

  /** Stable in-place partition of rows[start, end): left rows first; returns the first right index. */
  private partition(data: TreeData, rows: Int32Array, start: number, end: number, s: SplitCandidate): number {
    const { bins, numFeatures: F } = data;
    const f = s.feature;
    const dl = s.defaultLeft;
    const tmp = this.scratch;
    let nl = start;
    let nr = 0;
    if (s.catBits) {
      const bits = s.catBits;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r * F + f];
        const left = b === 0 ? dl : ((bits[b >>> 5] >>> (b & 31)) & 1) === 1;
        if (left) rows[nl++] = r;
        else tmp[nr++] = r;
      }
    } else {
      const sb = s.bin;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = bins[r * F + f];
        const left = b === 0 ? dl : b <= sb;
        if (left) rows[nl++] = r;
        else tmp[nr++] = r;
      }
    }
    rows.set(tmp.subarray(0, nr), nl);
    return nl;
  }
}

function leafSpec(g: number, h: number, p: TreeParams): NodeSpec {
  return {
    feature: -1,
    threshold: 0,
    defaultLeft: false,
    catBits: null,
    left: -1,
    value: Math.fround(leafWeight(g, h, p) * p.learningRate),
    cover: h,
    gain: 0,
  };
}
