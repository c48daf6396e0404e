// Dense packed GEMM kernel (the path for matrices without many exact zeros):
// C[M,N] = op(A)[M,K] · op(B)[K,N] (+ bias, relu).
// GotoBLAS-style blocking: per K-block (KC) all of B is packed into 3-column panels, and per
// (MC×KC) block A is packed into 4-row panels. Both live in ONE Float64Array (B panels first, then
// the A block), so the 4×3 register-blocked inner loop does no float32→float64 conversions, reads
// strictly sequential memory, and V8 only has to check one array's map / reload one base pointer
// per iteration (measured ~10–25% faster than two separate packed arrays). Accumulation is in
// float64 in registers. On the last K-block the bias + ReLU epilogue runs over each MC-row block of C
// right after it is finished, while it is still in cache (no separate pass over C). C is zeroed
// first so the micro-kernel always accumulates (`+=`); 0 + x rounds exactly like x.
// Why 4×3: V8 has 16 XMM registers. (Turbofan still schedules the 12 products before the 12 adds
// and spills a few accumulators, but every other shape measured — 4×4, 3×4, 4×2, 3×3, 2×4, 6×2,
// 1×8, and 2× K-unrolling — was equal or slower; 4×4 ~15–40% slower.) MC = 64 measured slightly
// better than 32 for the training shapes (256×256×256); KC = 256.

import { epilogueRows } from './gemm-epilogue.js';

const KC = 256;
const MC = 64;
const MR = 4;
const NR = 3;

let pack = new Float64Array(MC * KC + NR * KC * 64);
const tile = new Float64Array(MR * NR);

/** Dense C = op(A)·op(B) (+ bias, relu) for M ≥ 1, N ≥ 1, K ≥ 1; C is fully overwritten. */
export function gemmPacked(
  M: number, N: number, K: number,
  a: ArrayLike<number>, transA: boolean,
  b: ArrayLike<number>, transB: boolean,
  c: Float32Array,
  bias: ArrayLike<number> | null = null,
  relu = false,
): void {
  const nPanels = Math.ceil(N / NR);
  const kcMax = Math.min(KC, K);
  const aOff = nPanels * NR * kcMax;
  if (pack.length < aOff + MC * kcMax) pack = new Float64Array(aOff + MC * kcMax);
  const P = pack;
  const T = tile;

  c.fill(0, 0, M * N);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    const last = k0 + kc >= K;
    packB(P, b, transB, N, K, k0, kc, nPanels);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = Math.min(MC, M - i0);
      const mPanels = (mc + MR - 1) >> 2;
      packA(P, aOff, a, transA, M, K, i0, k0, kc, mPanels);
      macroKernel(P, aOff, kc, c, M, N, i0, mPanels, nPanels, T);
      // Fused epilogue on the rows just finished (still in cache).
      if (last && (bias || relu)) epilogueRows(c, i0, i0 + mc, N, bias, relu);
    }
  }
}

// All 4×3 tiles of one packed (MC×KC) A block against every packed B panel. A separate function
// so the inner loop is compiled with few live outer-loop values (fewer register spills).
function macroKernel(P: Float64Array, aOff: number, kc: number, c: Float32Array, M: number, N: number, i0: number, mPanels: number, nPanels: number, T: Float64Array): void {
  const aStride = kc * MR;
  for (let jp = 0; jp < nPanels; jp++) {
    const j = jp * NR;
    const pb = jp * kc * NR;
    const fullN = j + NR <= N;
    for (let ip = 0; ip < mPanels; ip++) {
      const i = i0 + ip * MR;
      if (fullN && i + MR <= M) {
        micro4x3(P, aOff + ip * aStride, pb, kc, c, i * N + j, N);
      } else {
        microTile(P, aOff + ip * aStride, pb, kc, T);
        storeEdge(c, M, N, i, j, T);
      }
    }
  }
}

// B[k0:k0+kc, :] → P[jp*kc*3 + kk*3 + jj] (zero-padded last panel).
function packB(P: Float64Array, b: ArrayLike<number>, transB: boolean, N: number, K: number, k0: number, kc: number, nPanels: number): void {
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jp * NR;
    const base = jp * kc * NR;
    const jn = Math.min(NR, N - j0);
    if (!transB) {
      if (jn === NR) {
        let src = k0 * N + j0;
        for (let kk = 0, dst = base; kk < kc; kk++, dst += NR, src += N) {
          P[dst] = b[src]; P[dst + 1] = b[src + 1]; P[dst + 2] = b[src + 2];
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const src = (k0 + kk) * N + j0;
          const dst = base + kk * NR;
          for (let jj = 0; jj < NR; jj++) P[dst + jj] = jj < jn ? b[src + jj] : 0;
        }
      }
    } else {
      for (let jj = 0; jj < NR; jj++) {
        if (jj < jn) {
          const src = (j0 + jj) * K + k0;
          for (let kk = 0; kk < kc; kk++) P[base + kk * NR + jj] = b[src + kk];
        } else {
          for (let kk = 0; kk < kc; kk++) P[base + kk * NR + jj] = 0;
        }
      }
    }
  }
}

// A[i0:i0+mc, k0:k0+kc] → P[aOff + ip*kc*4 + kk*4 + ii] (zero-padded last panel).
function packA(P: Float64Array, aOff: number, a: ArrayLike<number>, transA: boolean, M: number, K: number, i0: number, k0: number, kc: number, mPanels: number): void {
  for (let ip = 0; ip < mPanels; ip++) {
    const base = aOff + ip * kc * MR;
    const ib = i0 + ip * MR;
    if (transA && ib + MR <= M) {
      // rows of op(A) are columns of A: 4 consecutive values per k.
      let src = k0 * M + ib;
      for (let kk = 0, dst = base; kk < kc; kk++, dst += MR, src += M) {
        P[dst] = a[src]; P[dst + 1] = a[src + 1]; P[dst + 2] = a[src + 2]; P[dst + 3] = a[src + 3];
      }
      continue;
    }
    for (let ii = 0; ii < MR; ii++) {
      const i = ib + ii;
      if (i >= M) {
        for (let kk = 0; kk < kc; kk++) P[base + kk * MR + ii] = 0;
      } else if (!transA) {
        const src = i * K + k0;
        for (let kk = 0; kk < kc; kk++) P[base + kk * MR + ii] = a[src + kk];
      } else {
        let src = k0 * M + i;
        for (let kk = 0; kk < kc; kk++, src += M) P[base + kk * MR + ii] = a[src];
      }
    }
  }
}

// Index arithmetic is written `(x + c) | 0` so V8 emits plain int32 adds without overflow checks.
// A and B panels are in the same array P (one map check, one base pointer per iteration).
// Two copies of the same loop: micro4x3 stores into C (always Float32Array in production, so it
// stays monomorphic), microTile into the Float64Array scratch tile for border tiles.
function micro4x3(P: Float64Array, pa: number, pb: number, kc: number, c: Float32Array, o: number, N: number): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  let c20 = 0, c21 = 0, c22 = 0;
  let c30 = 0, c31 = 0, c32 = 0;
  for (let kk = 0; kk < kc; kk = (kk + 1) | 0) {
    const b0 = P[pb], b1 = P[(pb + 1) | 0], b2 = P[(pb + 2) | 0];
    let a = P[pa];
    c00 += a * b0; c01 += a * b1; c02 += a * b2;
    a = P[(pa + 1) | 0];
    c10 += a * b0; c11 += a * b1; c12 += a * b2;
    a = P[(pa + 2) | 0];
    c20 += a * b0; c21 += a * b1; c22 += a * b2;
    a = P[(pa + 3) | 0];
    c30 += a * b0; c31 += a * b1; c32 += a * b2;
    pa = (pa + 4) | 0;
    pb = (pb + 3) | 0;
  }
  // C was zeroed before the first K-block, so `+=` is exact there (0 + x rounds like x).
  c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; o += N;
  c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; o += N;
  c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; o += N;
  c[o] += c30; c[o + 1] += c31; c[o + 2] += c32;
}

function microTile(P: Float64Array, pa: number, pb: number, kc: number, T: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  let c20 = 0, c21 = 0, c22 = 0;
  let c30 = 0, c31 = 0, c32 = 0;
  for (let kk = 0; kk < kc; kk = (kk + 1) | 0) {
    const b0 = P[pb], b1 = P[(pb + 1) | 0], b2 = P[(pb + 2) | 0];
    let a = P[pa];
    c00 += a * b0; c01 += a * b1; c02 += a * b2;
    a = P[(pa + 1) | 0];
    c10 += a * b0; c11 += a * b1; c12 += a * b2;
    a = P[(pa + 2) | 0];
    c20 += a * b0; c21 += a * b1; c22 += a * b2;
    a = P[(pa + 3) | 0];
    c30 += a * b0; c31 += a * b1; c32 += a * b2;
    pa = (pa + 4) | 0;
    pb = (pb + 3) | 0;
  }
  T[0] = c00; T[1] = c01; T[2] = c02;
  T[3] = c10; T[4] = c11; T[5] = c12;
  T[6] = c20; T[7] = c21; T[8] = c22;
  T[9] = c30; T[10] = c31; T[11] = c32;
}

// Tiles on the right/bottom border: the panels are zero-padded; add only the valid part (C was
// zeroed, as for the full tiles, so border and inner tiles round alike, -0 sums included).
function storeEdge(c: Float32Array, M: number, N: number, i: number, j: number, T: Float64Array): void {
  for (let r = 0; r < MR && i + r < M; r++) {
    for (let q = 0; q < NR && j + q < N; q++) c[(i + r) * N + j + q] += T[r * NR + q];
  }
}
