// Native SGEMM against a naive float64 loop: odd shapes, every transpose, every epilogue, every
// micro-kernel this CPU has, one and two threads. Tolerance: float32 accumulation (FMA) vs the
// exact sum, |c − ref| ≤ 2e-6·Σ|a·b| + 1e-6.
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '@atelier/engine';
import { addon } from './testing/native-under-test.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 1, 7], [2, 3, 1], [7, 13, 17], [13, 1, 300], [1, 97, 61], [1000, 3, 5], [3, 1000, 257], [31, 37, 513], [97, 101, 103],
  [130, 70, 0], [0, 5, 3], [300, 290, 41], [300, 1, 37], [5, 1, 64],
];
const ACTS = ['none', 'relu', 'sigmoid', 'tanh'] as const;

function naive(M: number, N: number, K: number, a: Float32Array, tA: boolean, b: Float32Array, tB: boolean, bias: Float32Array | null, act: string) {
  const c = new Float64Array(M * N), mag = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0, m = 0;
      for (let k = 0; k < K; k++) {
        const p = (tA ? a[k * M + i] : a[i * K + k]) * (tB ? b[j * K + k] : b[k * N + j]);
        s += p;
        m += Math.abs(p);
      }
      if (bias) s += bias[j];
      if (act === 'relu') s = s <= 0 ? 0 : s;
      else if (act === 'sigmoid') s = 1 / (1 + Math.exp(-s));
      else if (act === 'tanh') s = Math.tanh(s);
      c[i * N + j] = s;
      mag[i * N + j] = m;
    }
  }
  return { c, mag };
}

describe.skipIf(!addon)('native sgemm', () => {
  const isas = (['avx512', 'avx2', 'portable'] as const).filter((isa) => addon!.useIsa(isa));
  afterAll(() => {
    addon!.useIsa('');
    addon!.setThreads(1);
  });

  it.each(isas)('%s: every shape, transpose and epilogue matches a naive loop', (isa) => {
    addon!.useIsa(isa);
    const rng = new Random(7);
    let checked = 0;
    for (const [M, N, K] of SHAPES) {
      const a = Float32Array.from({ length: M * K }, () => rng.normal());
      const b = Float32Array.from({ length: K * N }, () => rng.normal());
      const bias = Float32Array.from({ length: N }, () => rng.normal());
      for (const tA of [false, true]) for (const tB of [false, true]) for (const act of ACTS) {
        const withBias = act !== 'none' || (M + N) % 2 === 0;
        const c = new Float32Array(M * N).fill(Number.NaN); // fully overwritten, never read
        addon!.sgemm(M, N, K, a, tA, b, tB, c, withBias ? bias : null, ACTS.indexOf(act));
        const ref = naive(M, N, K, a, tA, b, tB, withBias ? bias : null, act);
        for (let i = 0; i < M * N; i++) {
          const tol = 2e-6 * ref.mag[i] + 1e-6;
          if (!(Math.abs(c[i] - ref.c[i]) <= tol)) {
            throw new Error(`${isa} M=${M} N=${N} K=${K} tA=${tA} tB=${tB} ${act}: c[${i}] = ${c[i]}, expected ${ref.c[i]} ± ${tol}`);
          }
        }
        checked++;
      }
    }
    expect(checked).toBe(SHAPES.length * 16);
  });

  it('thin products (M ≤ 4, batch-1 inference) give the same bits on every micro-kernel', () => {
    const rng = new Random(5);
    for (const [M, N, K] of [[1, 256, 64], [1, 97, 61], [4, 130, 256], [3, 1, 40]] as const) {
      const a = Float32Array.from({ length: M * K }, () => rng.normal());
      const b = Float32Array.from({ length: K * N }, () => rng.normal());
      const bias = Float32Array.from({ length: N }, () => rng.normal());
      for (const tB of [false, true]) {
        const outs = isas.map((isa) => {
          addon!.useIsa(isa);
          const c = new Float32Array(M * N);
          addon!.sgemm(M, N, K, a, false, tB ? Float32Array.from({ length: K * N }, (_, i) => b[(i % K) * N + Math.floor(i / K)]) : b, tB, c, bias, 1);
          return c;
        });
        for (let i = 1; i < outs.length; i++) expect(outs[i], `${isas[i]} vs ${isas[0]}, ${M}×${N}×${K} transB=${tB}`).toEqual(outs[0]);
      }
    }
    addon!.useIsa('');
  });

  it('two threads give the same bits as one (rows are split, the k order is not)', () => {
    const rng = new Random(3);
    const M = 515, N = 300, K = 700;
    const a = Float32Array.from({ length: M * K }, () => rng.normal());
    const b = Float32Array.from({ length: K * N }, () => rng.normal());
    const bias = Float32Array.from({ length: N }, () => rng.normal());
    const one = new Float32Array(M * N), two = new Float32Array(M * N);
    addon!.setThreads(1);
    addon!.sgemm(M, N, K, a, true, b, false, one, bias, 1);
    expect(addon!.setThreads(2)).toBe(2);
    addon!.sgemm(M, N, K, a, true, b, false, two, bias, 1);
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    const ref = naive(M, N, K, a, true, b, false, bias, 'relu');
    let worst = 0;
    for (let i = 0; i < M * N; i++) worst = Math.max(worst, Math.abs(two[i] - ref.c[i]) / (ref.mag[i] + 1));
    expect(worst).toBeLessThan(2e-6);
  });

  it('ReLU lets NaN through and maps negatives and -0 to +0', () => {
    const a = Float32Array.of(Number.NaN, -1, -0, 2), b = Float32Array.of(1);
    const c = new Float32Array(4);
    addon!.sgemm(4, 1, 1, a, false, b, false, c, null, 1);
    expect(Number.isNaN(c[0])).toBe(true);
    expect(Object.is(c[1], 0) && Object.is(c[2], 0)).toBe(true);
    expect(c[3]).toBe(2);
  });
});
