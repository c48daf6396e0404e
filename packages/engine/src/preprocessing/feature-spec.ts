/** What the user asks for: one entry per input column, validated before fitting. */

export type NumericTransform = 'robust' | 'standardize' | 'minmax' | 'bucketize' | 'none';
export type CategoricalTransform = 'vocabulary' | 'hash';
/**
 * Numeric: mean | median | zero | constant | error (default mean).
 * Categorical: oov (vocabulary only: missing → OOV id 0; the vocabulary default) | constant (the
 * value `constant`, default '', is looked up / hashed like any value; the hash default) | error.
 */
export type MissingRule = 'mean' | 'median' | 'zero' | 'constant' | 'error' | 'oov';

export interface FeatureOptions {
  /** bucketize: explicit sorted boundaries; id = number of boundaries <= x. */
  boundaries?: number[];
  /** bucketize: quantile boundaries fitted on training data (used when boundaries are absent). */
  numBuckets?: number;
  /** vocabulary: keep at most this many most frequent values. */
  maxSize?: number;
  /** vocabulary: keep values seen at least this often (default 1). */
  minCount?: number;
  /** vocabulary: out-of-vocabulary buckets, ids [0, numOovBuckets) (default 1). */
  numOovBuckets?: number;
  /** hash: number of buckets. */
  hashBuckets?: number;
  /** robust: clip the scaled value to ±clip (default ROBUST_CLIP). */
  clip?: number;
}

export interface FeatureSpec {
  name: string;
  type: 'numeric' | 'categorical';
  /** Default: DEFAULT_TRANSFORMS[type] (numeric 'robust', categorical 'vocabulary'). */
  transform?: NumericTransform | CategoricalTransform;
  options?: FeatureOptions;
  missing?: MissingRule;
  /** Replacement for missing values under the 'constant' rule (number for numeric, string for categorical). */
  constant?: number | string;
  /** Categorical raw input dtype in the serving signature: strings (default) or integer codes. */
  inputDtype?: 'string' | 'int32';
}

const NUMERIC_TRANSFORMS = ['robust', 'standardize', 'minmax', 'bucketize', 'none'];

/** What a feature that names no transform gets (the contracts' DEFAULT_TRANSFORMS say the same). */
export const DEFAULT_TRANSFORMS = { numeric: 'robust', categorical: 'vocabulary' } as const;
/**
 * robust: (x − median) / (IQR / 1.349), clipped to ±ROBUST_CLIP. IQR / 1.349 is the standard deviation
 * of a normal distribution with that IQR, so normal features come out as standardize would make them;
 * a feature whose IQR is 0 (mostly one value) is scaled by its standard deviation instead.
 */
export const ROBUST_CLIP = 5;

/** The spec with its default transform filled in (what a fitted preprocessor stores). */
export function withDefaultTransform(spec: FeatureSpec): FeatureSpec & { transform: NumericTransform | CategoricalTransform } {
  if (spec.transform !== undefined) return spec as FeatureSpec & { transform: NumericTransform | CategoricalTransform };
  return { ...spec, transform: spec.type === 'categorical' ? DEFAULT_TRANSFORMS.categorical : DEFAULT_TRANSFORMS.numeric };
}
const CATEGORICAL_TRANSFORMS = ['vocabulary', 'hash'];

function posInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

export function defaultMissing(spec: FeatureSpec): MissingRule {
  if (spec.missing) return spec.missing;
  if (spec.type === 'numeric') return 'mean';
  return (spec.transform ?? DEFAULT_TRANSFORMS.categorical) === 'vocabulary' ? 'oov' : 'constant';
}

/**
 * Whether fitting needs at least one non-missing training value (a mean, a median, a scale or quantile
 * boundaries); without one the fit fails. The gateway checks it at submit against the dataset profile.
 */
export function needsTrainingValues(spec: FeatureSpec): boolean {
  if (spec.type !== 'numeric') return false;
  const missing = defaultMissing(spec);
  const t = withDefaultTransform(spec).transform;
  return missing === 'mean' || missing === 'median' || t === 'robust' || t === 'standardize' || t === 'minmax' || (t === 'bucketize' && !spec.options?.boundaries);
}

/** Throws a message naming the feature and the bad field. */
export function validateSpecs(specs: FeatureSpec[]): void {
  if (!Array.isArray(specs) || specs.length === 0) throw new Error('preprocessing: at least one feature spec is required');
  const seen = new Set<string>();
  for (const given of specs) {
    const s = given && typeof given === 'object' ? withDefaultTransform(given) : given;
    const where = `feature "${s?.name}"`;
    if (typeof s?.name !== 'string' || s.name === '') throw new Error('preprocessing: every feature needs a non-empty name');
    if (seen.has(s.name)) throw new Error(`preprocessing: ${where} is declared twice`);
    seen.add(s.name);
    const o = s.options ?? {};
    const missing = defaultMissing(s);
    if (s.type === 'numeric') {
      if (!NUMERIC_TRANSFORMS.includes(s.transform)) throw new Error(`${where}: numeric transform must be one of ${NUMERIC_TRANSFORMS.join('|')}, got "${s.transform}"`);
      if (!['mean', 'median', 'zero', 'constant', 'error'].includes(missing)) throw new Error(`${where}: missing rule "${missing}" is not valid for a numeric feature`);
      if (missing === 'constant' && (typeof s.constant !== 'number' || !Number.isFinite(s.constant))) {
        throw new Error(`${where}: missing 'constant' needs a finite numeric constant`);
      }
      if (o.clip !== undefined && (s.transform !== 'robust' || typeof o.clip !== 'number' || !(o.clip > 0) || !Number.isFinite(o.clip))) {
        throw new Error(`${where}: options.clip must be a positive number, for the robust transform`);
      }
      if (s.transform === 'bucketize') {
        if (o.boundaries) {
          if (!Array.isArray(o.boundaries) || o.boundaries.length === 0) throw new Error(`${where}: boundaries must be a non-empty array`);
          for (let i = 0; i < o.boundaries.length; i++) {
            if (!Number.isFinite(o.boundaries[i]) || (i > 0 && !(o.boundaries[i] > o.boundaries[i - 1]))) {
              throw new Error(`${where}: boundaries must be finite and strictly increasing`);
            }
          }
        } else if (!posInt(o.numBuckets) || o.numBuckets! < 2) {
          throw new Error(`${where}: bucketize needs options.boundaries or options.numBuckets >= 2`);
        }
      }
    } else if (s.type === 'categorical') {
      if (!CATEGORICAL_TRANSFORMS.includes(s.transform)) throw new Error(`${where}: categorical transform must be one of ${CATEGORICAL_TRANSFORMS.join('|')}, got "${s.transform}"`);
      const allowed = s.transform === 'vocabulary' ? ['oov', 'constant', 'error'] : ['constant', 'error'];
      if (!allowed.includes(missing)) throw new Error(`${where}: missing rule "${missing}" is not valid for a ${s.transform} feature (use ${allowed.join('|')})`);
      if (s.constant !== undefined && typeof s.constant !== 'string') throw new Error(`${where}: a categorical constant must be a string`);
      if (s.transform === 'hash' && !posInt(o.hashBuckets)) throw new Error(`${where}: hash needs options.hashBuckets (a positive integer)`);
      if (o.maxSize !== undefined && !posInt(o.maxSize)) throw new Error(`${where}: maxSize must be a positive integer`);
      if (o.minCount !== undefined && !posInt(o.minCount)) throw new Error(`${where}: minCount must be a positive integer`);
      if (o.numOovBuckets !== undefined && !posInt(o.numOovBuckets)) throw new Error(`${where}: numOovBuckets must be a positive integer`);
      if (s.inputDtype !== undefined && s.inputDtype !== 'string' && s.inputDtype !== 'int32') throw new Error(`${where}: inputDtype must be 'string' or 'int32'`);
    } else {
      throw new Error(`${where}: type must be 'numeric' or 'categorical', got "${(s as { type: unknown }).type}"`);
    }
  }
}
