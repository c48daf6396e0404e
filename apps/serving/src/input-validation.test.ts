import { describe, expect, it } from 'vitest';
import { signatureValidator, validateAgainstSignature, type InputField } from './input-validation.js';

const fields: InputField[] = [
  { name: 'features', dtype: 'float32', shape: [3], nullable: false },
  { name: 'age', dtype: 'int32', shape: [], nullable: false },
  { name: 'country', dtype: 'string', shape: [], nullable: true },
  { name: 'tags', dtype: 'string', shape: [-1], nullable: true },
];

const good = { features: [1, 2.5, -3], age: 40, country: 'fr', tags: ['a', 'b'] };
const cases: Array<[string, unknown]> = [
  ['all fields', [good]],
  ['nullable null', [{ features: [0, 0, 0], age: 1, country: null, tags: null }]],
  ['several rows', [good, good, { ...good, tags: [] }]],
  ['not an array', { instances: good }],
  ['empty', []],
  ['row not an object', [good, 3]],
  ['row is an array', [[1, 2, 3]]],
  ['missing required', [{ features: [0, 0, 0] }]],
  ['null required', [{ features: [0, 0, 0], age: null }]],
  ['wrong width', [{ ...good, features: [1, 2] }]],
  ['NaN-like string', [{ ...good, features: [1, 'NaN', 2] }]],
  ['infinite', [{ ...good, features: [1, Infinity, 2] }]],
  ['not an integer', [{ ...good, age: 1.5 }]],
  ['int out of range', [{ ...good, age: 2 ** 31 }]],
  ['string expected', [{ ...good, country: 7 }]],
  ['string vector item', [{ ...good, tags: ['a', 1] }]],
  ['unknown field', [{ ...good, extra: 1 }]],
  ['prototype key', [JSON.parse('{"features":[1,2,3],"age":1,"__proto__":{"x":1}}')]],
  ['scalar for vector', [{ ...good, features: 1 }]],
  ['nullable absent', [{ features: [0, 0, 0], age: 1, country: 'fr' }]],
  ['empty instance', [{}]],
  ['beyond float32', [{ ...good, features: [3.5e38, 0, 0] }]],
  ['far beyond float32', [{ ...good, features: [0, -1e300, 0] }]],
  ['largest float32', [{ ...good, features: [3.4028234663852886e38, -3.4028234663852886e38, 0] }]],
];

describe('signatureValidator', () => {
  it.each(cases)('agrees with the full validation: %s', (_name, instances) => {
    const full = validateAgainstSignature(fields, instances);
    expect(signatureValidator(fields)(instances)).toEqual(full);
  });

  it('lets unknown fields through when asked, like the full pass', () => {
    const instances = [{ ...good, extra: 1 }];
    expect(signatureValidator(fields, true)(instances)).toEqual(validateAgainstSignature(fields, instances, true));
    expect(signatureValidator(fields, true)(instances)).toEqual([]);
  });

  it('refuses a finite number beyond float32 for a float32 input, naming it', () => {
    const scalar: InputField[] = [{ name: 'x', dtype: 'float32', shape: [], nullable: false }];
    for (const x of [3.5e38, 1e300, -3.5e38]) {
      expect(signatureValidator(scalar)([{ x }])).toEqual([{ field: 'instances[0].x', message: `${x} is outside the float32 range (±3.4028234663852886e+38)` }]);
    }
    expect(signatureValidator(scalar)([{ x: 3.4e38 }])).toEqual([]);
    // float64 inputs keep the double range.
    expect(signatureValidator([{ name: 'x', dtype: 'float64', shape: [], nullable: false }])([{ x: 1e300 }])).toEqual([]);
  });

  it('names every absent input of every instance; an explicit null goes to the missing-value rule', () => {
    const rule = "is required: send null to apply the model's missing-value rule";
    expect(signatureValidator(fields)([{}, { ...good, country: undefined }])).toEqual([
      { field: 'instances[0].features', message: 'is required' },
      { field: 'instances[0].age', message: 'is required' },
      { field: 'instances[0].country', message: rule },
      { field: 'instances[0].tags', message: rule },
      { field: 'instances[1].country', message: rule },
    ]);
    expect(signatureValidator(fields)([{ ...good, country: null, tags: null }])).toEqual([]);
  });

  it('names every bad field of a bad request', () => {
    const errors = signatureValidator(fields)([{ features: [1, 'x', 3], age: 'old', country: null, tags: null, extra: true }]);
    expect(errors.map((e) => e.field)).toEqual(['instances[0].features[1]', 'instances[0].age', 'instances[0].extra']);
  });
});
