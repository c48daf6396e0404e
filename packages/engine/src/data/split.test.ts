import { describe, expect, it } from 'vitest';
import { splitColumns } from './split.js';

describe('splitColumns', () => {
  const n = 100;
  const x = new Float32Array(n).map((_, i) => i);
  const label = new Int32Array(n).map((_, i) => i % 2);

  it('random split is seeded, disjoint, complete, sized by fractions, and rows stay aligned', () => {
    const f = { train: 0.7, validation: 0.2, test: 0.1 };
    const a = splitColumns({ x, label }, { method: 'random', fractions: f, seed: 1 });
    const b = splitColumns({ x, label }, { method: 'random', fractions: f, seed: 1 });
    const c = splitColumns({ x, label }, { method: 'random', fractions: f, seed: 2 });
    expect([a.train.numRows, a.validation.numRows, a.test.numRows]).toEqual([70, 20, 10]);
    expect(Array.from(a.test.columns.x as Float32Array)).toEqual(Array.from(b.test.columns.x as Float32Array));
    expect(Array.from(a.test.columns.x as Float32Array)).not.toEqual(Array.from(c.test.columns.x as Float32Array));
    const all = [a.train, a.validation, a.test].flatMap((s) => Array.from(s.columns.x as Float32Array));
    expect(all.sort((p, q) => p - q)).toEqual(Array.from(x));
    const tx = a.train.columns.x as Float32Array;
    const tl = a.train.columns.label as Int32Array;
    for (let i = 0; i < tx.length; i++) expect(tl[i]).toBe(tx[i] % 2);
    // not simply the first 70 rows
    expect(Math.max(...Array.from(tx))).toBeGreaterThan(70);
  });

  it('time split puts the oldest rows in train and the newest in test', () => {
    const ts = new Float64Array(n);
    for (let i = 0; i < n; i++) ts[i] = 1_700_000_000_000 + ((i * 37) % n) * 1000; // shuffled times
    const s = splitColumns({ x, ts }, { method: 'time', fractions: { train: 0.6, validation: 0.2, test: 0.2 }, timeColumn: 'ts' });
    const maxTrain = Math.max(...Array.from(s.train.columns.ts as Float64Array));
    const minVal = Math.min(...Array.from(s.validation.columns.ts as Float64Array));
    const maxVal = Math.max(...Array.from(s.validation.columns.ts as Float64Array));
    const minTest = Math.min(...Array.from(s.test.columns.ts as Float64Array));
    expect(maxTrain).toBeLessThan(minVal);
    expect(maxVal).toBeLessThan(minTest);
    expect(s.test.numRows).toBe(20);
  });

  it('time split accepts ISO strings and names a bad row', () => {
    const iso = ['2024-01-03', '2024-01-01', '2024-01-02', '2024-01-04'];
    const s = splitColumns({ x: new Float32Array([0, 1, 2, 3]), t: iso }, { method: 'time', fractions: { train: 0.5, validation: 0, test: 0.5 }, timeColumn: 't' });
    expect(Array.from(s.train.columns.x as Float32Array)).toEqual([1, 2]);
    expect(Array.from(s.test.columns.x as Float32Array)).toEqual([0, 3]);
    expect(() =>
      splitColumns({ t: ['2024-01-01', 'soon'] }, { method: 'time', fractions: { train: 0.5, validation: 0, test: 0.5 }, timeColumn: 't' }),
    ).toThrow(/row 1 is not a valid timestamp/);
    expect(() => splitColumns({ x }, { method: 'random', fractions: { train: 0.5, validation: 0.1, test: 0.1 }, seed: 1 })).toThrow(/sum to 1/);
  });
});
