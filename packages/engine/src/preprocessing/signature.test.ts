import { describe, expect, it } from 'vitest';
import { fitPreprocessor } from './preprocessor-fitter.js';
import { instancesToColumns, validateInstances, type SignatureField } from './signature.js';

const sig: SignatureField[] = [
  { name: 'age', dtype: 'float32', nullable: false },
  { name: 'city', dtype: 'string', nullable: true },
  { name: 'code', dtype: 'int32', nullable: true },
];

describe('validateInstances', () => {
  it('accepts good instances', () => {
    expect(validateInstances(sig, [{ age: 3.5, city: 'paris', code: 7 }, { age: 1, city: null }])).toEqual([]);
  });

  it('names every bad field', () => {
    const errors = validateInstances(sig, [
      { age: 1, city: 'x' },
      { age: 1 },
      { age: 1 },
      { age: 'abc', city: 5, code: 1.5, agee: 3 },
      { city: 'y' },
      'nope',
    ]);
    expect(errors).toEqual([
      { field: 'instances[3].age', message: 'expected a number, got "abc"' },
      { field: 'instances[3].city', message: 'expected a string, got 5' },
      { field: 'instances[3].code', message: 'expected a 32-bit integer, got 1.5' },
      { field: 'instances[3].agee', message: 'is not an input of this model' },
      { field: 'instances[4].age', message: 'is required' },
      { field: 'instances[5]', message: 'expected an object, got "nope"' },
    ]);
    expect(validateInstances(sig, [{ age: 1, extra: 2 }], { allowUnknownFields: true })).toEqual([]);
    expect(validateInstances(sig, { age: 1 })).toEqual([{ field: 'instances', message: 'expected an array of objects, got an object' }]);
    expect(validateInstances(sig, [{ age: null }])[0]).toEqual({ field: 'instances[0].age', message: 'is required, got null' });
  });

  it('caps the number of errors', () => {
    const many = Array.from({ length: 500 }, () => ({ age: 'x' }));
    expect(validateInstances(sig, many, { maxErrors: 10 }).length).toBe(10);
  });

  it('validated instances transform exactly like the training columns', () => {
    const p = fitPreprocessor(
      [
        { name: 'age', type: 'numeric', transform: 'standardize' },
        { name: 'city', type: 'categorical', transform: 'vocabulary' },
      ],
      { age: new Float32Array([10, 20, 30]), city: ['a', 'b', 'a'] },
    );
    const instances = [
      { age: 20, city: 'a' },
      { age: null, city: 'zzz' },
    ];
    expect(validateInstances(p.signature(), instances)).toEqual([]);
    const out = p.transform(instancesToColumns(p.signature(), instances), 2);
    expect(out.dense[0]).toBeCloseTo(0, 6);
    expect(out.dense[1]).toBeCloseTo(0, 6); // missing → training mean
    expect(Array.from(out.categorical.city)).toEqual([1, 0]);
  });
});
