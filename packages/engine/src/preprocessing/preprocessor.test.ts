import { describe, expect, it } from 'vitest';
import { ROBUST_CLIP, type FeatureSpec } from './feature-spec.js';
import { fnv1a32 } from './fnv1a.js';
import { Preprocessor } from './preprocessor.js';
import { PreprocessorFitter, fitPreprocessor } from './preprocessor-fitter.js';
import { PreprocessingError } from './raw-column.js';

const specs: FeatureSpec[] = [
  { name: 'age', type: 'numeric', transform: 'standardize', missing: 'mean' },
  { name: 'income', type: 'numeric', transform: 'minmax', missing: 'median' },
  { name: 'score', type: 'numeric', transform: 'bucketize', options: { boundaries: [0, 10] }, missing: 'zero' },
  { name: 'country', type: 'categorical', transform: 'vocabulary', options: { minCount: 2 } },
  { name: 'device', type: 'categorical', transform: 'hash', options: { hashBuckets: 8 } },
  { name: 'raw', type: 'numeric', transform: 'none', missing: 'constant', constant: -1 },
];

const train = {
  age: new Float64Array([20, 30, NaN, 50]),
  income: new Float32Array([100, NaN, 300, 200]),
  score: new Float32Array([-5, 0, 9.5, NaN]),
  country: ['us', 'fr', 'us', 'fr'],
  device: ['ios', 'android', null, 'web'],
  raw: new Float32Array([1, NaN, 3, 4]),
};

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors over UTF-8', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    // multi-byte: same as hashing TextEncoder's bytes
    for (const s of ['é', '日本', '😀x', 'a\u0000b']) {
      let h = 0x811c9dc5;
      for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193);
      expect(fnv1a32(s)).toBe(h >>> 0);
    }
  });
});

describe('Preprocessor', () => {
  const p = fitPreprocessor(specs, train);

  it('fits statistics on observed training values and lays out dense / categorical outputs', () => {
    const out = p.transform(train, 4);
    expect(out.denseNames).toEqual(['age', 'income', 'raw']);
    expect(out.dense.length).toBe(12);
    // age: mean of 20,30,50 = 33.333, population std
    const mean = 100 / 3;
    const std = Math.sqrt(((20 - mean) ** 2 + (30 - mean) ** 2 + (50 - mean) ** 2) / 3);
    expect(out.dense[0]).toBeCloseTo((20 - mean) / std, 5);
    expect(out.dense[2 * 3 + 0]).toBeCloseTo(0, 6); // missing → mean → 0 after standardizing
    // income: min 100, max 300, missing → median 200 → 0.5
    expect(out.dense[0 * 3 + 1]).toBeCloseTo(0, 6);
    expect(out.dense[1 * 3 + 1]).toBeCloseTo(0.5, 6);
    expect(out.dense[2 * 3 + 1]).toBeCloseTo(1, 6);
    // raw: constant -1
    expect(Array.from({ length: 4 }, (_, i) => out.dense[i * 3 + 2])).toEqual([1, -1, 3, 4]);
    // bucketize: [-5,0,9.5,missing→0] with boundaries [0,10] → [0,1,1,1]
    expect(Array.from(out.categorical.score)).toEqual([0, 1, 1, 1]);
    expect(out.cardinalities.score).toBe(3);
    // vocabulary: both seen twice → sorted by count then value: fr, us → ids 1, 2 (0 = OOV)
    expect(Array.from(out.categorical.country)).toEqual([2, 1, 2, 1]);
    expect(out.cardinalities.country).toBe(3);
    // hash: fnv1a mod 8, missing hashes like the default constant ''
    expect(Array.from(out.categorical.device)).toEqual([fnv1a32('ios') % 8, fnv1a32('android') % 8, fnv1a32('') % 8, fnv1a32('web') % 8]);
    expect(out.cardinalities.device).toBe(8);
  });

  it('maps unseen, rare and missing categories to OOV and applies identical rules to JSON-style input', () => {
    const serving = {
      age: [20, null, 50],
      income: [100, undefined, 300],
      score: [10, null, -1],
      country: ['us', 'de', null],
      device: ['ios', 'web', undefined],
      raw: [1, null, 4],
    };
    const a = p.transform(serving, 3);
    const b = p.transform(
      {
        age: new Float64Array([20, NaN, 50]),
        income: new Float32Array([100, NaN, 300]),
        score: new Float32Array([10, NaN, -1]),
        country: ['us', 'de', null],
        device: ['ios', 'web', null],
        raw: new Float32Array([1, NaN, 4]),
      },
      3,
    );
    expect(Array.from(a.dense)).toEqual(Array.from(b.dense));
    expect(a.categorical).toEqual(b.categorical);
    expect(Array.from(a.categorical.country)).toEqual([2, 0, 0]);
    expect(Array.from(a.categorical.score)).toEqual([2, 1, 0]);
  });

  it('survives a JSON round trip and gives identical outputs', () => {
    const json = JSON.stringify(p.toJSON());
    const q = Preprocessor.fromJSON(JSON.parse(json));
    const a = p.transform(train, 4);
    const b = q.transform(train, 4);
    expect(Array.from(b.dense)).toEqual(Array.from(a.dense));
    expect(b.categorical).toEqual(a.categorical);
    expect(q.signature()).toEqual(p.signature());
    expect(JSON.parse(json).version).toBe(1);
    expect(() => Preprocessor.fromJSON({ ...JSON.parse(json), version: 99 })).toThrow(/unsupported version 99/);
    expect(() => Preprocessor.fromJSON({ format: 'nope' })).toThrow(/expected format/);
    const broken = JSON.parse(json);
    broken.features[0].state.kind = 'mystery';
    expect(() => Preprocessor.fromJSON(broken)).toThrow(/feature "age": unknown state kind/);
  });

  it("'error' rule names the column and row, at fit and at transform time", () => {
    const s: FeatureSpec[] = [{ name: 'x', type: 'numeric', transform: 'none', missing: 'error' }];
    expect(() => fitPreprocessor(s, { x: new Float32Array([1, 2, NaN]) })).toThrow(/column "x" row 2: missing value/);
    const q = fitPreprocessor(s, { x: new Float32Array([1, 2]) });
    try {
      q.transform({ x: [1, null] }, 2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PreprocessingError);
      expect((e as PreprocessingError).column).toBe('x');
      expect((e as PreprocessingError).row).toBe(1);
    }
    const c: FeatureSpec[] = [{ name: 'c', type: 'categorical', transform: 'vocabulary', missing: 'error' }];
    expect(() => fitPreprocessor(c, { c: ['a', undefined] })).toThrow(/column "c" row 1/);
    expect(() => p.transform({ ...train, age: ['x', 1, 2, 3] }, 4)).toThrow(/column "age" row 0: expected a number, got "x"/);
  });

  it('streaming fit over chunks equals fitting all rows at once', () => {
    const n = 1000;
    const x = new Float64Array(n);
    const c: string[] = [];
    for (let i = 0; i < n; i++) {
      x[i] = i % 17 === 0 ? NaN : Math.sin(i) * 100 + i / 10;
      c.push(`v${(i * 7) % 13}`);
    }
    const s: FeatureSpec[] = [
      { name: 'x', type: 'numeric', transform: 'standardize', missing: 'median' },
      { name: 'q', type: 'numeric', transform: 'bucketize', options: { numBuckets: 4 } },
      { name: 'c', type: 'categorical', transform: 'vocabulary', options: { maxSize: 5 } },
    ];
    const cols = { x, q: x, c };
    const whole = fitPreprocessor(s, cols);
    const fitter = new PreprocessorFitter(s);
    for (let start = 0; start < n; start += 128) {
      const end = Math.min(n, start + 128);
      fitter.update({ x: x.subarray(start, end), q: x.subarray(start, end), c: c.slice(start, end) }, end - start);
    }
    const streamed = fitter.finish();
    const a = whole.toJSON().features;
    const b = streamed.toJSON().features;
    expect(b[1]).toEqual(a[1]);
    expect(b[2]).toEqual(a[2]);
    const da = a[0].state as { shift: number; scale: number; fill: number };
    const db = b[0].state as { shift: number; scale: number; fill: number };
    expect(db.fill).toBe(da.fill);
    expect(db.shift).toBeCloseTo(da.shift, 9);
    expect(db.scale).toBeCloseTo(da.scale, 9);
    expect((a[2].state as { vocabulary: string[] }).vocabulary.length).toBe(5);
    expect(streamed.fittedRows).toBe(n);
  });

  it('quantile bucketization splits training data into about equal buckets', () => {
    const n = 1000;
    const x = new Float32Array(n).map((_, i) => (i * 7919) % n);
    const q = fitPreprocessor([{ name: 'x', type: 'numeric', transform: 'bucketize', options: { numBuckets: 4 } }], { x });
    const ids = q.transform({ x }, n).categorical.x;
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[id]++;
    for (const k of counts) expect(Math.abs(k - 250)).toBeLessThanOrEqual(1);
    expect(q.cardinalities.x).toBe(4);
  });

  it('vocabulary respects maxSize and multiple OOV buckets; numbers as categories use decimal strings', () => {
    const s: FeatureSpec[] = [{ name: 'c', type: 'categorical', transform: 'vocabulary', options: { maxSize: 2, numOovBuckets: 3 }, inputDtype: 'int32' }];
    const q = fitPreprocessor(s, { c: new Int32Array([5, 5, 5, 7, 7, 9]) });
    const out = q.transform({ c: [5, 7, 9, '5'] }, 4);
    expect(Array.from(out.categorical.c)).toEqual([3, 4, fnv1a32('9') % 3, 3]);
    expect(out.cardinalities.c).toBe(5);
    expect(q.signature()).toEqual([{ name: 'c', dtype: 'int32', nullable: true }]);
  });

  it('rejects bad specs with a message naming the feature', () => {
    expect(() => fitPreprocessor([{ name: 'h', type: 'categorical', transform: 'hash' }], { h: ['a'] })).toThrow(/feature "h": hash needs options.hashBuckets/);
    expect(() => fitPreprocessor([{ name: 'b', type: 'numeric', transform: 'bucketize' }], { b: [1] })).toThrow(/feature "b": bucketize needs/);
    expect(() => fitPreprocessor([{ name: 'm', type: 'numeric', transform: 'none', missing: 'constant' }], { m: [1] })).toThrow(/needs a finite numeric constant/);
    expect(() => fitPreprocessor([{ name: 'c', type: 'categorical', transform: 'vocabulary', missing: 'mean' }], { c: ['a'] })).toThrow(/not valid for a vocabulary feature/);
    expect(() => fitPreprocessor([{ name: 'e', type: 'numeric', transform: 'standardize' }], { e: [null, null] })).toThrow(/no non-missing values/);
    expect(() => fitPreprocessor(specs, { age: [1] })).toThrow(/input column "income" is missing/);
  });

  it('defaults: a numeric feature without a transform is robust-scaled (median, IQR / 1.349, clipped), a categorical one gets a vocabulary', () => {
    // 1..9 plus one far outlier: median 5.5, IQR 7.75 − 3.25 = 4.5 (numpy's linear quantiles).
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000]);
    const pre = fitPreprocessor([{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical' }], { x, c: ['a', 'b', 'a', 'a', 'b', 'a', 'a', 'a', 'b', 'z'] });
    const [fx, fc] = pre.features;
    expect(fx.spec.transform).toBe('robust'); // the stored spec names the transform it applied
    expect(fc.spec.transform).toBe('vocabulary');
    expect(fx.state).toMatchObject({ kind: 'dense', fill: 104.5, shift: 5.5, clip: ROBUST_CLIP });
    expect((fx.state as { scale: number }).scale).toBeCloseTo(1.349 / 4.5, 12);
    const out = pre.transform({ x: Float64Array.from([5.5, 10, 1000, -1e9, NaN]), c: ['a', 'q', 'b', null, 'z'] }, 5);
    const col = Array.from({ length: 5 }, (_, i) => out.dense[i * out.denseNames.length]);
    expect(col[0]).toBe(0);
    expect(col[1]).toBeCloseTo((4.5 * 1.349) / 4.5, 5);
    expect(col[2]).toBe(ROBUST_CLIP); // the outlier is clipped…
    expect(col[3]).toBe(-ROBUST_CLIP);
    expect(col[4]).toBeCloseTo(Math.min(ROBUST_CLIP, (104.5 - 5.5) * (1.349 / 4.5)), 5); // …and so is a missing value's mean fill
    expect(Array.from(out.categorical.c)).toEqual([1, 0, 2, 0, 3]);
    // A feature that is mostly one value (IQR 0) falls back to its standard deviation; clip is a knob.
    const sparse = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const q = fitPreprocessor([{ name: 's', type: 'numeric', options: { clip: 3 } }], { s: sparse });
    expect(q.features[0].state).toMatchObject({ kind: 'dense', shift: 0, clip: 3 });
    expect((q.features[0].state as { scale: number }).scale).toBeCloseTo(1 / 0.4, 9);
    expect(q.transform({ s: Float64Array.from([1]) }, 1).dense[0]).toBeCloseTo(2.5, 5);
    expect(q.transform({ s: Float64Array.from([9]) }, 1).dense[0]).toBe(3);
    // Serialized and read back, a robust feature transforms identically; a bad clip is refused.
    const back = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    expect(back.transform({ x: Float64Array.from([1000, 7]), c: ['a', 'b'] }, 2)).toEqual(pre.transform({ x: Float64Array.from([1000, 7]), c: ['a', 'b'] }, 2));
    const bad = structuredClone(pre.toJSON()) as any;
    bad.features[0].state.clip = -1;
    expect(() => Preprocessor.fromJSON(bad)).toThrow(/invalid dense state/);
    expect(() => fitPreprocessor([{ name: 'z', type: 'numeric', transform: 'standardize', options: { clip: 2 } }], { z: [1, 2] })).toThrow(/options.clip must be a positive number, for the robust transform/);
    // A bundle written before clipping existed (no clip) is read as it was: no clipping.
    const old = structuredClone(pre.toJSON()) as any;
    delete old.features[0].state.clip;
    old.features[0].spec.transform = 'standardize';
    expect(Preprocessor.fromJSON(old).transform({ x: Float64Array.from([1000]), c: ['a'] }, 1).dense[0]).toBeCloseTo((1000 - 5.5) * (1.349 / 4.5), 3);
  });

  it('signature marks error-rule features as non-nullable', () => {
    const q = fitPreprocessor(
      [
        { name: 'a', type: 'numeric', transform: 'none', missing: 'error' },
        { name: 'b', type: 'categorical', transform: 'hash', options: { hashBuckets: 4 } },
      ],
      { a: [1], b: ['x'] },
    );
    expect(q.signature()).toEqual([
      { name: 'a', dtype: 'float32', nullable: false },
      { name: 'b', dtype: 'string', nullable: true },
    ]);
  });
});
