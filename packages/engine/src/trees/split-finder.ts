// Best split of one node from its histogram (XGBoost's exact formulas, so gains and leaf values agree):
//   score(G, H) = T(G)² / (H + λ) with T the L1 soft threshold T(G) = sign(G)·max(|G| − α, 0)
//   gain = score(L) + score(R) − score(parent); split when gain > minSplitGain (XGBoost's gamma) and
//   both children have hessian ≥ minChildWeight; leaf value −T(G) / (H + λ) (times the learning rate).
// Numeric features scan bins left to right twice: missing rows (bin 0) sent right, then left — the
// direction that gains more is the node's default. Categorical features sort their categories by
// G / (H + λ) and scan prefixes (LightGBM's sorted partition; one-vs-rest is the first prefix), the left
// side kept as a 256-bit set of bins.
import type { FeatureBins } from './binning.js';
import { BIN_STRIDE } from './histogram.js';

export interface SplitParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  minSplitGain: number;
}

export interface SplitCandidate {
  feature: number;
  /** Numeric: bins 1..bin go left. Categorical: unused (see catBits). */
  bin: number;
  defaultLeft: boolean;
  gain: number;
  gl: number;
  hl: number;
  gr: number;
  hr: number;
  /** Categorical: bins going left, 8 × 32 bits. */
  catBits: Uint32Array | null;
}

export function thresholdL1(g: number, alpha: number): number {
  if (g > alpha) return g - alpha;
  if (g < -alpha) return g + alpha;
  return 0;
}

export function leafScore(g: number, h: number, p: SplitParams): number {
  const t = thresholdL1(g, p.alpha);
  return (t * t) / (h + p.lambda);
}

export function leafWeight(g: number, h: number, p: SplitParams): number {
  return -thresholdL1(g, p.alpha) / (h + p.lambda);
}

const EPS = 1e-6;

/** The best split over `features` (null when none gains more than minSplitGain). */
export function findBestSplit(
  hist: Float64Array,
  features: Int32Array,
  bins: readonly FeatureBins[],
  G: number,
  H: number,
  p: SplitParams,
): SplitCandidate | null {
  const parent = leafScore(G, H, p);
  const mcw = p.minChildWeight;
  let best: SplitCandidate | null = null;
  let bestGain = Math.max(p.minSplitGain, EPS);
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const fb = bins[f];
    const base = f * BIN_STRIDE * 2;
    const gm = hist[base];
    const hm = hist[base + 1];
    if (fb.categorical) {
      const c = bestCategorical(hist, base, fb.numBins, G, H, gm, hm, parent, p);
      if (c && c.gain > bestGain) {
        bestGain = c.gain;
        best = { ...c, feature: f };
      }
      continue;
    }
    const nb = fb.numBins;
    const hasMissing = hm > 0;
    let gl = 0;
    let hl = 0;
    for (let b = 1; b < nb; b++) {
      gl += hist[base + 2 * b];
      hl += hist[base + 2 * b + 1];
      // missing right
      let gr = G - gl;
      let hr = H - hl;
      if (hl >= mcw && hr >= mcw) {
        const gain = leafScore(gl, hl, p) + leafScore(gr, hr, p) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: b, defaultLeft: false, gain, gl, hl, gr, hr, catBits: null };
        }
      }
      if (!hasMissing) continue;
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      gr = G - gl2;
      hr = H - hl2;
      if (hl2 >= mcw && hr >= mcw) {
        const gain = leafScore(gl2, hl2, p) + leafScore(gr, hr, p) - parent;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin: b, defaultLeft: true, gain, gl: gl2, hl: hl2, gr, hr, catBits: null };
        }
      }
    }
  }
  return best;
}

function bestCategorical(
  hist: Float64Array,
  base: number,
  nb: number,
  G: number,
  H: number,
  gm: number,
  hm: number,
  parent: number,
  p: SplitParams,
): Omit<SplitCandidate, 'feature'> | null {
  const cats: number[] = [];
  for (let b = 1; b <= nb; b++) if (hist[base + 2 * b + 1] > 0) cats.push(b);
  if (cats.length < 2 && !(cats.length === 1 && hm > 0)) return null;
  const ratio = (b: number) => hist[base + 2 * b] / (hist[base + 2 * b + 1] + p.lambda);
  cats.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const mcw = p.minChildWeight;
  let best: Omit<SplitCandidate, 'feature'> | null = null;
  let bestCount = 0;
  let gl = 0;
  let hl = 0;
  for (let k = 0; k < cats.length; k++) {
    gl += hist[base + 2 * cats[k]];
    hl += hist[base + 2 * cats[k] + 1];
    for (let dir = 0; dir < 2; dir++) {
      if (dir === 1 && !(hm > 0)) break;
      const gL = dir ? gl + gm : gl;
      const hL = dir ? hl + hm : hl;
      const gR = G - gL;
      const hR = H - hL;
      if (hL < mcw || hR < mcw) continue;
      const gain = leafScore(gL, hL, p) + leafScore(gR, hR, p) - parent;
      if (!best || gain > best.gain) {
        best = { bin: 0, defaultLeft: dir === 1, gain, gl: gL, hl: hL, gr: gR, hr: hR, catBits: null };
        bestCount = k + 1;
      }
    }
  }
  if (!best) return null;
  const bits = new Uint32Array(8);
  for (let k = 0; k < bestCount; k++) bits[cats[k] >>> 5] |= 1 << (cats[k] & 31);
  best.catBits = bits;
  return best;
}
