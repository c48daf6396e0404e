import { describe, expect, it } from 'vitest';
import { gemm } from './gemm.js';
import { gemmPacked } from './gemm-packed.js';

function naive(M: number, N: number, K: number, a: Float32Array, tA: boolean, b: Float32Array, tB: boolean): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (tA ? a[k * M + i] : a[i * K + k]) * (tB ? b[j * K + k] : b[k * N + j]);
      c[i * N + j] = s;
    }
  return c;
}

/** gemm with the fused bias + ReLU epilogue equals the plain product, then + bias, then ReLU, bit for bit. */
function expectFusedEqualsUnfused(M: number, N: number, K: number, a: Float32Array, b: Float32Array, bias: Float32Array): Float32Array {
  const fused = new Float32Array(M * N);
  gemm(M, N, K, a, false, b, false, fused, bias, true);
  const ref = new Float32Array(M * N);
  gemm(M, N, K, a, false, b, false, ref);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) ref[i * N + j] += bias[j];
  for (let i = 0; i < ref.length; i++) if (ref[i] <= 0) ref[i] = 0;
  expect(Array.from(fused)).toEqual(Array.from(ref));
  return fused;
}

describe('gemm', () => {
  let seed = 7;
  const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
  // Sizes straddle the 4×3 tiles, the 64-row A blocks and the 256-deep K blocks, and cover the
  // thin paths (1–2 rows, one column, K = 1).
  const sizes: [number, number, number][] = [[1, 1, 1], [1, 7, 5], [2, 9, 3], [3, 5, 7], [4, 4, 4], [5, 13, 300], [67, 33, 257], [130, 6, 513], [67, 1, 300], [9, 13, 1]];
  for (const [M, N, K] of sizes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        it(`${M}×${N}×${K} tA=${tA} tB=${tB}`, () => {
          const a = rand(M * K), b = rand(K * N);
          const c = new Float32Array(M * N).fill(NaN);
          gemm(M, N, K, a, tA, b, tB, c);
          const ref = naive(M, N, K, a, tA, b, tB);
          let err = 0;
          for (let i = 0; i < c.length; i++) err = Math.max(err, Math.abs(c[i] - ref[i]));
          expect(err).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(K)));
        });
      }
    }
  }
  it('K = 0 gives zeros', () => {
    const c = new Float32Array(4).fill(5);
    gemm(2, 2, 0, new Float32Array(0), false, new Float32Array(0), false, c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });
});

describe('gemm fused bias + relu epilogue', () => {
  let seed = 11;
  const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
  for (const [M, N, K] of [[1, 5, 3], [2, 7, 4], [67, 33, 257], [64, 256, 64]] as [number, number, number][]) {
    it(`${M}×${N}×${K} equals the unfused product + bias + relu, bit for bit (NaN passes)`, () => {
      const a = rand(M * K), b = rand(K * N), bias = rand(N);
      a[0] = NaN; // row 0 becomes NaN and must stay NaN through the ReLU
      const fused = expectFusedEqualsUnfused(M, N, K, a, b, bias);
      expect(Number.isNaN(fused[0])).toBe(true);
      expect(fused.every((v) => Number.isNaN(v) || v >= 0)).toBe(true);
    });
  }
});

describe('gemm on inputs with many zeros (zero-skipping row kernel)', () => {
  let seed = 3;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  // About half exact zeros, like ReLU activations and ReLU-masked gradients.
  const sparse = (n: number) => Float32Array.from({ length: n }, () => (next() < 0.5 ? 0 : next() * 2 - 1));
  const dense = (n: number) => Float32Array.from({ length: n }, () => next() * 2 - 1);
  // Sizes straddle the 6-column panels, the 128-row blocks, the 256-deep K blocks and the
  // 768-column blocks.
  const sizes: [number, number, number][] = [[3, 5, 7], [129, 13, 300], [7, 800, 20], [40, 9, 513]];
  for (const [M, N, K] of sizes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const sparseSide of ['A', 'B'] as const) {
          it(`${M}×${N}×${K} tA=${tA} tB=${tB}, zeros in ${sparseSide}: equals the dense kernel bit for bit`, () => {
            const a = sparseSide === 'A' ? sparse(M * K) : dense(M * K);
            const b = sparseSide === 'B' ? sparse(K * N) : dense(K * N);
            const c = new Float32Array(M * N).fill(NaN);
            gemm(M, N, K, a, tA, b, tB, c);
            const ref = new Float32Array(M * N);
            gemmPacked(M, N, K, a, tA, b, tB, ref);
            expect(Array.from(c)).toEqual(Array.from(ref));
            const want = naive(M, N, K, a, tA, b, tB);
            let err = 0;
            for (let i = 0; i < c.length; i++) err = Math.max(err, Math.abs(c[i] - want[i]));
            expect(err).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(K)));
          });
        }
      }
    }
  }
  it('0 · Inf still gives NaN (a block with Inf or NaN is multiplied densely)', () => {
    const M = 8, N = 7, K = 12;
    const a = sparse(M * K), b = dense(K * N);
    a[2 * K + 5] = 0; // row 2 has a zero where B's row 5 holds Inf (and a NaN)
    b[5 * N + 3] = Infinity;
    b[5 * N + 4] = NaN;
    const c = new Float32Array(M * N);
    gemm(M, N, K, a, false, b, false, c);
    expect(Number.isNaN(c[2 * N + 3])).toBe(true);
    expect(Number.isNaN(c[2 * N + 4])).toBe(true);
    const ref = new Float32Array(M * N);
    gemmPacked(M, N, K, a, false, b, false, ref);
    expect(Array.from(c)).toEqual(Array.from(ref));
  });
  it('bias + relu epilogue on the sparse path equals the unfused product + bias + relu', () => {
    const M = 67, N = 33, K = 257;
    const a = sparse(M * K), b = dense(K * N), bias = dense(N);
    a[0] = NaN;
    const fused = expectFusedEqualsUnfused(M, N, K, a, b, bias);
    expect(Number.isNaN(fused[0])).toBe(true);
  });
});
