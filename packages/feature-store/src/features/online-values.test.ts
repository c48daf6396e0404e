// The per-view value shapes of online reads: the object builder and the JSON splice must give exactly
// what JSON.stringify of the parsed row gives, for any stored array, or refuse and fall back.
import { describe, expect, it } from 'vitest';
import { spliceArray, valuesShape } from './online-values.js';

const names = ['a', 'b', 'c'];
const shape = valuesShape(names);
const reference = (stored: string) => JSON.stringify(shape.fromArray(JSON.parse(stored)));

describe('valuesShape', () => {
  it('builds fresh objects in feature order, nulls for missing or short rows', () => {
    const one = shape.fromArray([1, 'x', true]);
    expect(one).toEqual({ a: 1, b: 'x', c: true });
    expect(Object.keys(one)).toEqual(names);
    expect(shape.fromArray([1])).toEqual({ a: 1, b: null, c: null });
    expect(shape.empty()).toEqual({ a: null, b: null, c: null });
    expect(shape.empty()).not.toBe(shape.empty());
    expect(shape.emptyJson).toBe(JSON.stringify(shape.empty()));
  });

  it('makes __proto__ an own property, never the prototype', () => {
    const odd = valuesShape(['__proto__', 'x']);
    const o = odd.fromArray([{ polluted: true }, 2]);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'x']);
    expect((o as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('splices stored arrays into the same JSON text as parse + stringify', () => {
    const rows = [
      [1.5, -2e-7, 3],
      ['a,b', 'say "hi"', 'back\\slash]['],
      [null, true, false],
      ['}{', '\u2028é😀', ''],
      [1],
      [],
      [1, 2, 3, 4, 5],
    ];
    for (const row of rows) {
      const stored = JSON.stringify(row);
      expect(shape.jsonFromStored(stored), stored).toBe(reference(stored));
    }
    // Text not written by JSON.stringify, still valid JSON: spaces and nested values.
    for (const stored of [' [ 1 , "x" , [2,3] ] ', '[{"k":[1,"]"]},2,3]', '[\n1,\t2\r,3]']) {
      expect(JSON.parse(shape.jsonFromStored(stored)), stored).toEqual(JSON.parse(reference(stored)));
    }
  });

  it('refuses what is not one JSON array, so a corrupt row fails as loudly as a parse', () => {
    const prefixes = ['{"a":', ',"b":'];
    for (const bad of ['', '1', '{"a":1}', '[1,2', '[1,,2]', '[,1]', '[1,]', '["open]', '[1]x', '[1}']) {
      expect(spliceArray(bad, prefixes), bad).toBeUndefined();
    }
    expect(() => shape.jsonFromStored('[1,2')).toThrow(SyntaxError);
  });
});
