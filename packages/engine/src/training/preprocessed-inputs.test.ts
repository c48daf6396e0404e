import { describe, expect, it } from 'vitest';
import { LogisticRegression, batchFromTransform, createPredictor, featureInputsFor, fit, fitPreprocessor, Random, rocAuc } from '../index.js';

describe('preprocessing → model inputs', () => {
  it('a model trains on a fitted preprocessor output and predicts through the same transform', async () => {
    const r = new Random(3);
    const n = 800;
    const age = Array.from({ length: n }, () => 20 + 50 * r.next());
    const city = Array.from({ length: n }, () => ['paris', 'lyon', 'nice', 'lille'][r.nextInt(4)]);
    const y = Float32Array.from({ length: n }, (_, i) => (age[i] > 45 || city[i] === 'nice' ? 1 : 0));
    const columns = { age: Float64Array.from(age), city };
    const pre = fitPreprocessor([
      { name: 'age', type: 'numeric', transform: 'bucketize', options: { boundaries: [30, 45, 60] } },
      { name: 'city', type: 'categorical', transform: 'vocabulary' },
    ], columns, n);
    const inputs = featureInputsFor(pre, { embeddingDim: 4 });
    expect(inputs.map((f) => f.name).sort()).toEqual(['age', 'city']);
    const out = pre.transform(columns, n);
    const model = new LogisticRegression({ inputs });
    await fit(model, { epochs: 30, data: () => [batchFromTransform(out, { labels: y })], optimizer: { kind: 'adam', lr: 0.05 } });
    const p = createPredictor(model).predict(batchFromTransform(out));
    expect(rocAuc(y, p)).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  });
});
