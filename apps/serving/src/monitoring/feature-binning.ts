// Puts observed values into a version's reference bins: the per-row work of model monitoring, on the
// predict path. A reference is compiled once per loaded version into typed edges and a value → bin map,
// so a row costs a binary search (numeric) or one Map lookup (categorical) per monitored feature.
import type { BinCounts, FeatureReference } from '@atelier/contracts';

/** Where one value lands: a bin index, or -1 for missing. `outOfRange` is set for the last call. */
export interface CompiledBins {
  readonly binCount: number;
  /** Bin of `v` (-1: missing); sets `lastOutOfRange`. */
  bin(v: unknown): number;
  lastOutOfRange: boolean;
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
      lastOutOfRange: false,
      bin(v) {
        this.lastOutOfRange = false;
        if (typeof v !== 'number' || Number.isNaN(v)) return -1;
        if (v < first) {
          this.lastOutOfRange = true;
          return 0;
        }
        if (v > last) {
          this.lastOutOfRange = true;
          return n - 1;
        }
        return numericBin(edges, v);
      },
    };
  }
  const index = new Map<string, number>();
  ref.values.forEach((value, i) => index.set(value, i));
  const other = ref.values.length;
  const complete = ref.complete;
  return {
    binCount: other + 1,
    lastOutOfRange: false,
    bin(v) {
      this.lastOutOfRange = false;
      if (v === null || v === undefined) return -1;
      const i = index.get(typeof v === 'string' ? v : String(v));
      if (i !== undefined) return i;
      this.lastOutOfRange = complete;
      return other;
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
    if (b < 0) {
      this.missing++;
      return;
    }
    this.bins[b]++;
    if (this.compiled.lastOutOfRange) this.outOfRange++;
  }

  toJSON(): BinCounts {
    return { bins: Array.from(this.bins), missing: this.missing, outOfRange: this.outOfRange };
  }
}
