import { describe, expect, it } from 'vitest';
import { Mlp, SoftmaxRegression, createPredictor, memory, Random } from '../index.js';

describe('predictor', () => {
  const x = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.sin(i));
  it('N rows in → N probabilities out, row-independent, no leaks, reuses buffers', () => {
    const m = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], hiddenUnits: [8], seed: 5 });
    const p = createPredictor(m);
    const before = memory().numTensors;
    const all = p.predict({ numRows: 5, inputs: { x } });
    expect(all.length).toBe(5);
    for (const v of all) expect(v > 0 && v < 1).toBe(true);
    // batch of 1 matches the same row inside a batch of 5
    const one = p.predict({ numRows: 1, inputs: { x: x.subarray(8, 12) } });
    expect(one[0]).toBeCloseTo(all[2], 6);
    const out = new Float32Array(5);
    expect(p.predict({ numRows: 5, inputs: { x } }, out)).toBe(out);
    expect(out).toEqual(all);
    expect(memory().numTensors).toBe(before);
    m.dispose();
  });

  it('multiclass returns N×C probabilities that sum to 1', () => {
    const m = new SoftmaxRegression({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], numClasses: 3 });
    const w = new Random(1);
    m.parameters()[0].assign(Float32Array.from({ length: 12 }, () => w.normal()));
    const p = createPredictor(m);
    expect(p.outputWidth).toBe(3);
    const probs = p.predict({ numRows: 5, inputs: { x } });
    expect(probs.length).toBe(15);
    for (let r = 0; r < 5; r++) expect(probs[r * 3] + probs[r * 3 + 1] + probs[r * 3 + 2]).toBeCloseTo(1, 6);
    m.dispose();
  });

  it('rejects wrongly typed or sized inputs with the input name', () => {
    const m = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], hiddenUnits: [2] });
    const p = createPredictor(m);
    expect(() => p.predict({ numRows: 2, inputs: { x: new Float32Array(7) } })).toThrow(/input 'x' has 7 values, expected 8/);
    expect(() => p.predict({ numRows: 2, inputs: {} })).toThrow(/missing input 'x'/);
    m.dispose();
  });
});
