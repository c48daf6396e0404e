// Puts observed values into a version's reference bins: the per-row work of model monitoring, on the
// predict path. A reference is compiled once per loaded version into typed edges and a value → bin map,
// so a row costs a binary search (numeric) or one Map lookup (categorical) per monitored feature.
import type { BinCounts, FeatureReference } from '@atelier/contracts';

/** MISSING, a bin index b ≥ 0, or OUT_OF_RANGE_BASE − b for a value out of range that goes into bin b. */
export const MISSING = -1;
export const OUT_OF_RANGE_BASE = -2;

/** Where one value lands, as one number (no object per value): see MISSING and OUT_OF_RANGE_BASE. */
export interface CompiledBins {
  readonly binCount: number;
  bin(v: unknown): number;
}

/** Last index i with edges[i] <= v, for edges[0] <= v <= edges[n-1]; bins are [e_i, e_i+1), the last one closed. */
function numericBin(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function compileBins(ref: FeatureReference): CompiledBins {
  if (ref.kind === 'numeric') {
    const edges = Float64Array.from(ref.edges);
    const n = edges.length - 1;
    const first = edges[0];
    const last = edges[n];
    return {
      binCount: n,
      bin(v) {
        if (typeof v !== 'number' || Number.isNaN(v)) return MISSING;
        if (v < first) return OUT_OF_RANGE_BASE;
        if (v > last) return OUT_OF_RANGE_BASE - (n - 1);
        return numericBin(edges, v);
      },
    };
  }
  const index = new Map<string, number>();
  ref.values.forEach((value, i) => index.set(value, i));
  const other = ref.values.length;
  const complete = ref.complete;
  const unknown = complete ? OUT_OF_RANGE_BASE - other : other;
  return {
    binCount: other + 1,
    bin(v) {
      if (v === null || v === undefined) return MISSING;
      const i = index.get(typeof v === 'string' ? v : String(v));
      return i === undefined ? unknown : i;
    },
  };
}

/** Running counts of one feature in one window. */
export class BinCounter {
  readonly bins: Float64Array;
  missing = 0;
  outOfRange = 0;

  constructor(private readonly compiled: CompiledBins) {
    this.bins = new Float64Array(compiled.binCount);
  }

  add(v: unknown): void {
    const b = this.compiled.bin(v);
    if (b >= 0) this.bins[b]++;
    else if (b === MISSING) this.missing++;
    else {
      this.bins[OUT_OF_RANGE_BASE - b]++;
      this.outOfRange++;
    }
  }

  toJSON(): BinCounts {
    return { bins: Array.from(this.bins), missing: this.missing, outOfRange: this.outOfRange };
  }
}
