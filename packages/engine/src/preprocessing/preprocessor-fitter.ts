/**
 * Streaming fit: feed training chunks with update(), then finish(). Moments (mean/std), min/max and
 * vocabulary counts are exact and O(1) / O(distinct) memory; medians and quantile boundaries keep the
 * observed values of just those features (exact, O(n) memory for them).
 */
import { defaultMissing, needsTrainingValues, ROBUST_CLIP, validateSpecs, withDefaultTransform, type FeatureSpec } from './feature-spec.js';
import type { FeatureState, FittedFeature } from './fitted-feature.js';
import { Preprocessor } from './preprocessor.js';
import { PreprocessingError, readCategory, readNumber, requireColumn, type RawColumns } from './raw-column.js';

class NumericAccumulator {
  count = 0;
  mean = 0;
  m2 = 0; // Welford: numerically stable variance across chunks
  min = Infinity;
  max = -Infinity;
  values: Float64Array | null;
  private n = 0;

  constructor(keepValues: boolean) {
    this.values = keepValues ? new Float64Array(1024) : null;
  }

  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.values) {
      if (this.n === this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.n++] = x;
    }
  }

  sorted(): Float64Array {
    return this.values!.slice(0, this.n).sort();
  }
}

/** numpy's default (linear) quantile on sorted data. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export class PreprocessorFitter {
  private readonly numeric = new Map<string, NumericAccumulator>();
  private readonly counts = new Map<string, Map<string, number>>();
  private rows = 0;
  /** The specs with default transforms filled in: what the fitted preprocessor stores. */
  private readonly specs: FeatureSpec[];

  constructor(specs: FeatureSpec[]) {
    validateSpecs(specs);
    this.specs = specs.map(withDefaultTransform);
    for (const s of this.specs) {
      const missing = defaultMissing(s);
      if (s.type === 'numeric') {
        const keep = missing === 'median' || s.transform === 'robust' || (s.transform === 'bucketize' && !s.options?.boundaries);
        this.numeric.set(s.name, new NumericAccumulator(keep));
      } else if (s.transform === 'vocabulary') {
        this.counts.set(s.name, new Map());
      }
    }
  }

  /** Adds one chunk of training rows. */
  update(columns: RawColumns, numRows: number): this {
    for (const s of this.specs) {
      const col = requireColumn(columns, s.name, numRows);
      const missing = defaultMissing(s);
      if (s.type === 'numeric') {
        const acc = this.numeric.get(s.name)!;
        for (let i = 0; i < numRows; i++) {
          const x = readNumber(col, i, s.name);
          if (Number.isNaN(x)) {
            if (missing === 'error') throw new PreprocessingError(s.name, this.rows + i, `missing value (rule 'error')`);
            continue;
          }
          if (!Number.isFinite(x)) throw new PreprocessingError(s.name, this.rows + i, `value ${x} is not finite`);
          acc.add(x);
        }
      } else {
        const counts = this.counts.get(s.name);
        const fill = typeof s.constant === 'string' ? s.constant : '';
        for (let i = 0; i < numRows; i++) {
          let v = readCategory(col, i);
          if (v === null) {
            if (missing === 'error') throw new PreprocessingError(s.name, this.rows + i, `missing value (rule 'error')`);
            if (missing !== 'constant') continue;
            v = fill;
          }
          if (counts) counts.set(v, (counts.get(v) ?? 0) + 1);
        }
      }
    }
    this.rows += numRows;
    return this;
  }

  finish(): Preprocessor {
    const features: FittedFeature[] = this.specs.map((spec) => {
      const missing = defaultMissing(spec);
      return { spec, missing, state: this.fitOne(spec, missing) };
    });
    return new Preprocessor(features, this.rows);
  }

  private fitOne(s: FeatureSpec, missing: string): FeatureState {
    if (s.type === 'numeric') {
      const acc = this.numeric.get(s.name)!;
      if (needsTrainingValues(s) && acc.count === 0) throw new Error(`preprocessing: feature "${s.name}" has no non-missing values in the training data`);
      let fill: number | null = null;
      if (missing === 'mean') fill = acc.mean;
      else if (missing === 'median') fill = quantileSorted(acc.sorted(), 0.5);
      else if (missing === 'zero') fill = 0;
      else if (missing === 'constant') fill = s.constant as number;
      if (s.transform === 'bucketize') {
        let boundaries = s.options?.boundaries?.slice();
        if (!boundaries) {
          const sorted = acc.sorted();
          const k = s.options!.numBuckets!;
          boundaries = [];
          for (let b = 1; b < k; b++) {
            const q = quantileSorted(sorted, b / k);
            if (boundaries.length === 0 || q > boundaries[boundaries.length - 1]) boundaries.push(q);
          }
        }
        return { kind: 'bucketize', fill, boundaries };
      }
      if (s.transform === 'robust') {
        const sorted = acc.sorted();
        const iqr = quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
        const std = Math.sqrt(acc.m2 / acc.count);
        const spread = iqr > 0 ? iqr / 1.349 : std;
        return { kind: 'dense', fill, shift: quantileSorted(sorted, 0.5), scale: spread > 0 ? 1 / spread : 1, clip: s.options?.clip ?? ROBUST_CLIP };
      }
      if (s.transform === 'standardize') {
        const std = Math.sqrt(acc.m2 / acc.count); // population std, as scikit-learn's StandardScaler
        return { kind: 'dense', fill, shift: acc.mean, scale: std > 0 ? 1 / std : 1 };
      }
      if (s.transform === 'minmax') {
        const range = acc.max - acc.min;
        return { kind: 'dense', fill, shift: acc.min, scale: range > 0 ? 1 / range : 0 };
      }
      return { kind: 'dense', fill, shift: 0, scale: 1 };
    }
    if (s.transform === 'hash') return { kind: 'hash', hashBuckets: s.options!.hashBuckets! };
    const counts = this.counts.get(s.name)!;
    const minCount = s.options?.minCount ?? 1;
    const entries = [...counts.entries()].filter(([, c]) => c >= minCount);
    // Most frequent first; ties by code-unit order so the vocabulary never depends on arrival order.
    entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const max = s.options?.maxSize ?? entries.length;
    return { kind: 'vocabulary', vocabulary: entries.slice(0, max).map((e) => e[0]), numOovBuckets: s.options?.numOovBuckets ?? 1 };
  }
}

/** Fits on in-memory training columns (all rows at once). */
export function fitPreprocessor(specs: FeatureSpec[], columns: RawColumns, numRows?: number): Preprocessor {
  const names = Object.keys(columns);
  const n = numRows ?? (names.length > 0 ? columns[names[0]].length : 0);
  return new PreprocessorFitter(specs).update(columns, n).finish();
}
