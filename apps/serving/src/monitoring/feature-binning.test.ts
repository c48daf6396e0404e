import { describe, expect, it } from 'vitest';
import { BinCounter, compileBins } from './feature-binning.js';
import { buildMonitoringReference } from './monitoring-reference.js';

describe('reference bins', () => {
  it('numeric: [e_i, e_i+1) with the last bin closed; below / above the training range go to the end bins, out of range', () => {
    const c = new BinCounter(compileBins({ name: 'age', kind: 'numeric', edges: [0, 10, 20, 30], expected: [1, 1, 1], missingFraction: 0 }));
    for (const v of [0, 9.99, 10, 20, 29, 30, -5, 31, null, undefined, 'x', Number.NaN]) c.add(v);
    expect(c.toJSON()).toEqual({ bins: [3, 1, 4], missing: 4, outOfRange: 2 });
  });

  it('categorical: one bin per known value and one for the rest; the rest is out of range only when every training value is known', () => {
    const values = ['lyon', 'paris'];
    const complete = new BinCounter(compileBins({ name: 'city', kind: 'categorical', values, expected: [1, 1, 0], complete: true, missingFraction: 0 }));
    const partial = new BinCounter(compileBins({ name: 'city', kind: 'categorical', values, expected: [1, 1, 5], complete: false, missingFraction: 0 }));
    for (const c of [complete, partial]) for (const v of ['paris', 'lyon', 'paris', 'nice', null]) c.add(v);
    expect(complete.toJSON()).toEqual({ bins: [1, 2, 1], missing: 1, outOfRange: 1 });
    expect(partial.toJSON()).toEqual({ bins: [1, 2, 1], missing: 1, outOfRange: 0 });
  });

  it("is built from the training profile's histograms: inputs by name, vectors skipped, the label's histogram for a regression output", () => {
    const profile = {
      columns: [
        { name: 'age', nullFraction: 0.1, histogram: { kind: 'numeric' as const, bins: [{ lower: 18, upper: 38, count: 4 }, { lower: 38, upper: 58, count: 6 }] } },
        { name: 'city', nullFraction: 0, histogram: { kind: 'categorical' as const, buckets: [{ value: 'paris', count: 7 }, { value: 'lyon', count: 3 }], otherCount: 0 } },
        { name: 'spend', histogram: { kind: 'numeric' as const, bins: [{ lower: 0, upper: 5, count: 2 }] } },
        { name: 'emb', histogram: null },
      ],
    };
    const inputs = [{ name: 'age', shape: [] }, { name: 'city', shape: [] }, { name: 'emb', shape: [4] }, { name: 'unknown', shape: [] }];
    const ref = buildMonitoringReference({ inputs, task: 'regression', outputWidth: 1, labelColumn: 'spend', datasetVersionId: 'd', profile });
    expect(ref.features).toEqual([
      { name: 'age', kind: 'numeric', edges: [18, 38, 58], expected: [4, 6], missingFraction: 0.1 },
      { name: 'city', kind: 'categorical', values: ['paris', 'lyon'], expected: [7, 3, 0], complete: true, missingFraction: 0 },
    ]);
    expect(ref.output).toEqual({ name: 'output', kind: 'numeric', edges: [0, 5], expected: [2], missingFraction: 0 });
    const binary = buildMonitoringReference({ inputs, task: 'binary', outputWidth: 1, labelColumn: null, datasetVersionId: null, profile: null });
    expect(binary.features).toEqual([]);
    expect(binary.output).toMatchObject({ kind: 'numeric', expected: null });
    expect((binary.output as { edges: number[] }).edges).toHaveLength(11);
  });
});
