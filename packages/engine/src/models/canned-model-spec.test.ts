// The layout estimated from feature specs alone (what the gateway checks at submit) is the fitted
// preprocessor's, with cardinalities that bound the fitted ones; a spec that cannot build its model
// says which field to change.
import { describe, expect, it } from 'vitest';
import { buildModelSpec, cardinalityBound, fitPreprocessor, layoutOf, ModelSetupError, type FeatureSpec } from '../index.js';

const features: FeatureSpec[] = [
  { name: 'age', type: 'numeric', transform: 'standardize' },
  { name: 'city', type: 'categorical', transform: 'vocabulary' },
  { name: 'income', type: 'numeric', transform: 'bucketize', options: { numBuckets: 4 } },
  { name: 'zip', type: 'categorical', transform: 'hash', options: { hashBuckets: 50 } },
  { name: 'plan', type: 'categorical', transform: 'vocabulary', options: { maxSize: 2, numOovBuckets: 3 } },
  { name: 'score', type: 'numeric', transform: 'bucketize', options: { boundaries: [0, 1, 2] } },
];
const n = 200;
const columns = {
  age: Float64Array.from({ length: n }, (_, i) => 20 + (i % 50)),
  city: Array.from({ length: n }, (_, i) => ['paris', 'lyon', 'nice'][i % 3]),
  income: Float64Array.from({ length: n }, (_, i) => i * 10),
  zip: Array.from({ length: n }, (_, i) => String(i % 17)),
  plan: Array.from({ length: n }, (_, i) => ['a', 'b', 'c', 'd'][i % 4]),
  score: Float64Array.from({ length: n }, (_, i) => i % 4),
};
const distinct: Record<string, number> = { city: 3, zip: 17, plan: 4, income: 200, score: 4 };

describe('layoutOf and cardinalityBound', () => {
  it('predict the fitted layout, bounding every cardinality', () => {
    const pre = fitPreprocessor(features, columns as never, n);
    const layout = layoutOf(features, (f) => cardinalityBound(f, distinct[f.name]));
    expect(layout.denseNames).toEqual(pre.denseNames);
    expect(layout.categoricalNames).toEqual(pre.categoricalNames);
    for (const name of pre.categoricalNames) expect(layout.cardinalities[name]).toBeGreaterThanOrEqual(pre.cardinalities[name]);
    expect(layout.cardinalities).toEqual({ city: 4, income: 4, zip: 50, plan: 5, score: 4 });
  });
});

describe('buildModelSpec', () => {
  it('refuses wide_deep without a wide feature, naming hyperparameters.wideFeatures', () => {
    const layout = layoutOf([features[0]], () => 0);
    const build = () => buildModelSpec('wide_deep', {}, layout, 'binary', 0, 0);
    expect(build).toThrow(ModelSetupError);
    expect(build).toThrow(/wideFeatures/);
    try {
      build();
    } catch (e) {
      expect((e as ModelSetupError).field).toBe('/model/hyperparameters/wideFeatures');
    }
    // A dense feature listed as wide, or any categorical feature by default, is enough.
    expect(() => buildModelSpec('wide_deep', { wideFeatures: ['age'] }, layout, 'binary', 0, 0)).not.toThrow();
    expect(() => buildModelSpec('wide_deep', {}, layoutOf(features, () => 5), 'binary', 0, 0)).not.toThrow();
  });
});
