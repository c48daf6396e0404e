// TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature Attribution for Tree
// Ensembles", Algorithm 2 — the path-dependent form XGBoost's pred_contribs computes): exact Shapley
// values of each feature for each row's margin, in O(leaves · depth²) per tree and row. Node weights
// are the training hessian sums ("cover"). Per row and output column: F feature contributions plus
// the bias (the base score plus each tree's cover-weighted mean leaf), summing to the raw margin.
import type { TreeEnsemble } from './tree-ensemble.js';

export interface ShapResult {
  /** N × outputWidth × (numFeatures + 1), row-major; the last of each F + 1 is the bias. */
  values: Float64Array;
  numFeatures: number;
  outputWidth: number;
}

export function treeShap(e: TreeEnsemble, x: Float32Array, numRows: number): ShapResult {
  const a = e.arrays();
  const F = e.numFeatures;
  const K = e.outputWidth;
  const W = F + 1;
  const out = new Float64Array(numRows * K * W);
  const nTrees = a.roots.length;
  // Depth per tree (for the path buffers) and each tree's expected value.
  let maxDepth = 0;
  const expected = new Float64Array(nTrees);
  const depthOf = (n: number): number => (a.feature[n] < 0 ? 0 : 1 + Math.max(depthOf(a.left[n]), depthOf(a.left[n] + 1)));
  const meanOf = (n: number): number => {
    if (a.feature[n] < 0) return a.value[n];
    const l = a.left[n];
    const cl = a.cover[l];
    const cr = a.cover[l + 1];
    return cl + cr > 0 ? (cl * meanOf(l) + cr * meanOf(l + 1)) / (cl + cr) : 0.5 * (meanOf(l) + meanOf(l + 1));
  };
  for (let t = 0; t < nTrees; t++) {
    maxDepth = Math.max(maxDepth, depthOf(a.roots[t]));
    expected[t] = meanOf(a.roots[t]);
  }
  const size = ((maxDepth + 2) * (maxDepth + 3)) / 2;
  const pf = new Int32Array(size);
  const pz = new Float64Array(size);
  const po = new Float64Array(size);
  const pw = new Float64Array(size);

  const extend = (p: number, depth: number, zero: number, one: number, feature: number) => {
    pf[p + depth] = feature;
    pz[p + depth] = zero;
    po[p + depth] = one;
    pw[p + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      pw[p + i + 1] += (one * pw[p + i] * (i + 1)) / (depth + 1);
      pw[p + i] = (zero * pw[p + i] * (depth - i)) / (depth + 1);
    }
  };
  const unwind = (p: number, depth: number, index: number) => {
    const one = po[p + index];
    const zero = pz[p + index];
    let next = pw[p + depth];
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pw[p + i];
        pw[p + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (pw[p + i] * zero * (depth - i)) / (depth + 1);
      } else {
        pw[p + i] = (pw[p + i] * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i++) {
      pf[p + i] = pf[p + i + 1];
      pz[p + i] = pz[p + i + 1];
      po[p + i] = po[p + i + 1];
    }
  };
  const unwoundSum = (p: number, depth: number, index: number): number => {
    const one = po[p + index];
    const zero = pz[p + index];
    let next = pw[p + depth];
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = pw[p + i] - tmp * zero * ((depth - i) / (depth + 1));
      } else if (zero !== 0) {
        total += pw[p + i] / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  };

  let row = 0;
  let phi = 0; // offset of the current row/column's F + 1 values in `out`
  const recurse = (node: number, depth: number, parent: number, zero: number, one: number, feature: number) => {
    // Copy the parent's path (depth + 1 elements at `parent`) to this level's slot, then extend it.
    const p = parent + depth + 1;
    for (let i = 0; i <= depth; i++) {
      pf[p + i] = pf[parent + i];
      pz[p + i] = pz[parent + i];
      po[p + i] = po[parent + i];
      pw[p + i] = pw[parent + i];
    }
    extend(p, depth, zero, one, feature);
    const f = a.feature[node];
    if (f < 0) {
      const v = a.value[node];
      for (let i = 1; i <= depth; i++) out[phi + pf[p + i]] += unwoundSum(p, depth, i) * (po[p + i] - pz[p + i]) * v;
      return;
    }
    const l = a.left[node];
    const right = e.goesRight(node, x[row * F + f]);
    const hot = right ? l + 1 : l;
    const cold = right ? l : l + 1;
    const w = a.cover[node];
    const hotZero = w > 0 ? a.cover[hot] / w : 0.5;
    const coldZero = w > 0 ? a.cover[cold] / w : 0.5;
    let inZero = 1;
    let inOne = 1;
    let d = depth;
    let k = 0;
    for (; k <= d; k++) if (pf[p + k] === f) break;
    if (k !== d + 1) {
      inZero = pz[p + k];
      inOne = po[p + k];
      unwind(p, d, k);
      d -= 1;
    }
    recurse(hot, d + 1, p, hotZero * inZero, inOne, f);
    recurse(cold, d + 1, p, coldZero * inZero, 0, f);
  };

  for (row = 0; row < numRows; row++) {
    for (let k = 0; k < K; k++) out[(row * K + k) * W + F] = e.baseScore[k];
    for (let t = 0; t < nTrees; t++) {
      phi = (row * K + a.treeOutput[t]) * W;
      out[phi + F] += expected[t];
      // The root extends the empty path with a dummy element (feature −1) at depth 0, as Algorithm 2.
      recurse(a.roots[t], 0, 0, 1, 1, -1);
    }
  }
  return { values: out, numFeatures: F, outputWidth: K };
}

/** Mean |SHAP| per feature over rows and output columns (a global importance). */
export function meanAbsShap(s: ShapResult, numRows: number): Float64Array {
  const F = s.numFeatures;
  const W = F + 1;
  const out = new Float64Array(F);
  const blocks = numRows * s.outputWidth;
  for (let b = 0; b < blocks; b++) for (let f = 0; f < F; f++) out[f] += Math.abs(s.values[b * W + f]);
  for (let f = 0; f < F; f++) out[f] /= Math.max(1, numRows);
  return out;
}
