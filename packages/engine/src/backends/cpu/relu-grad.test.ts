import { describe, expect, it } from 'vitest';
import { getKernel } from '../../kernels/registry.js';
import './cpu-backend.js';

describe('ReluGrad / ReluGradBiasSum', () => {
  const R = 37, C = 19;
  let seed = 5;
  const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
  const dy = rand(R * C), y = rand(R * C).map((v) => (v <= 0 ? 0 : v));
  dy[1] = NaN; y[1] = 1; // NaN dy where y > 0 passes through
  dy[2] = NaN; y[2] = 0; // ... and is masked where y <= 0
  y[3] = NaN; // NaN y masks
  const t = (values: Float32Array) => ({ shape: [R, C], dtype: 'float32' as const, values });
  it('ReluGrad matches the ternary definition', () => {
    const [g] = getKernel('ReluGrad').reference([t(dy), t(y)], {});
    const want = dy.map((d, i) => (y[i] > 0 ? d : 0));
    expect(Array.from(g.values)).toEqual(Array.from(want));
    expect(Object.is(g.values[2], 0)).toBe(true);
  });
  it('ReluGradBiasSum equals ReluGrad followed by Sum over axis 0, bit for bit', () => {
    const [g, db] = getKernel('ReluGradBiasSum').reference([t(dy), t(y)], {});
    const [g2] = getKernel('ReluGrad').reference([t(dy), t(y)], {});
    const [s] = getKernel('Sum').reference([g2], { axes: [0], keepDims: false });
    expect(Array.from(g.values)).toEqual(Array.from(g2.values));
    expect(db.shape).toEqual([C]);
    expect(Array.from(db.values)).toEqual(Array.from(s.values));
  });
});
