/** The fitted state of one feature: everything serving needs, and exactly what the JSON stores. */
import type { FeatureSpec, MissingRule } from './feature-spec.js';

/** Dense numeric: out = (imputed x - shift) * scale, then clipped to [-clip, clip] when clip is set. */
export interface DenseState {
  kind: 'dense';
  fill: number | null; // null under the 'error' rule
  shift: number;
  scale: number;
  /** The robust transform's bound; absent for the other transforms (and in bundles written before it). */
  clip?: number;
}

/** Bucketized numeric → categorical id = number of boundaries <= imputed x. */
export interface BucketState {
  kind: 'bucketize';
  fill: number | null;
  boundaries: number[];
}

/** Vocabulary lookup: OOV ids [0, numOovBuckets), vocabulary[k] → numOovBuckets + k. */
export interface VocabularyState {
  kind: 'vocabulary';
  vocabulary: string[];
  numOovBuckets: number;
}

/** Hash: fnv1a32(utf8(value)) mod hashBuckets. */
export interface HashState {
  kind: 'hash';
  hashBuckets: number;
}

export type FeatureState = DenseState | BucketState | VocabularyState | HashState;

export interface FittedFeature {
  spec: FeatureSpec;
  missing: MissingRule;
  state: FeatureState;
}
