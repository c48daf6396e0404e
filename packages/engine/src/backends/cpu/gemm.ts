// Single-threaded GEMM in plain TypeScript: C[M,N] = op(A)[M,K] · op(B)[K,N].
// GotoBLAS-style blocking: B is packed per K-block into 3-column panels and A per (MC×KC) block
// into 4-row panels, both as Float64Array so the 4×3 register-blocked inner loop does no
// float32→float64 conversions and reads strictly sequential memory. Accumulation is in float64.
// Why 4×3 and not 4×4: V8 has 16 XMM registers; 12 accumulators + 3 B values + 1 A value fit,
// while 16 accumulators spill to the stack every iteration (measured ~15% slower).

const KC = 256;
const MC = 64;

let packA = new Float64Array(MC * KC);
const NR = 3;
let packB = new Float64Array(NR * KC * 64);

/**
 * @param a  A storage: [M,K] row-major, or [K,M] when transA
 * @param b  B storage: [K,N] row-major, or [N,K] when transB
 * @param c  output [M,N] row-major, fully overwritten
 */
export function gemm(
  M: number, N: number, K: number,
  a: ArrayLike<number>, transA: boolean,
  b: ArrayLike<number>, transB: boolean,
  c: Float32Array,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    c.fill(0, 0, M * N);
    return;
  }
  if (M <= 2 && !transB) {
    gemmSmallM(M, N, K, a, transA, b, c);
    return;
  }
  const nPanels = Math.ceil(N / NR);
  const kcMax = Math.min(KC, K);
  if (packB.length < nPanels * NR * kcMax) packB = new Float64Array(nPanels * NR * kcMax);
  if (packA.length < MC * kcMax) packA = new Float64Array(MC * kcMax);
  const Ap = packA;
  const Bp = packB;

  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    const first = k0 === 0;
    // ---- pack B[k0:k0+kc, :] into panels of 3 columns: Bp[jp*kc*3 + kk*3 + jj]
    for (let jp = 0; jp < nPanels; jp++) {
      const j0 = jp * NR;
      const base = jp * kc * NR;
      const jn = Math.min(NR, N - j0);
      if (!transB) {
        for (let kk = 0; kk < kc; kk++) {
          const src = (k0 + kk) * N + j0;
          const dst = base + kk * NR;
          if (jn === NR) {
            Bp[dst] = b[src]; Bp[dst + 1] = b[src + 1]; Bp[dst + 2] = b[src + 2];
          } else {
            for (let jj = 0; jj < NR; jj++) Bp[dst + jj] = jj < jn ? b[src + jj] : 0;
          }
        }
      } else {
        for (let jj = 0; jj < NR; jj++) {
          if (jj < jn) {
            const src = (j0 + jj) * K + k0;
            for (let kk = 0; kk < kc; kk++) Bp[base + kk * NR + jj] = b[src + kk];
          } else {
            for (let kk = 0; kk < kc; kk++) Bp[base + kk * NR + jj] = 0;
          }
        }
      }
    }
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = Math.min(MC, M - i0);
      const mPanels = (mc + 3) >> 2;
      // ---- pack A[i0:i0+mc, k0:k0+kc] into panels of 4 rows: Ap[ip*kc*4 + kk*4 + ii]
      for (let ip = 0; ip < mPanels; ip++) {
        const base = ip * kc * 4;
        for (let ii = 0; ii < 4; ii++) {
          const i = i0 + ip * 4 + ii;
          if (i >= M) {
            for (let kk = 0; kk < kc; kk++) Ap[base + kk * 4 + ii] = 0;
          } else if (!transA) {
            const src = i * K + k0;
            for (let kk = 0; kk < kc; kk++) Ap[base + kk * 4 + ii] = a[src + kk];
          } else {
            let src = k0 * M + i;
            for (let kk = 0; kk < kc; kk++, src += M) Ap[base + kk * 4 + ii] = a[src];
          }
        }
      }
      // ---- 4×3 micro-tiles
      for (let jp = 0; jp < nPanels; jp++) {
        const j = jp * NR;
        const bBase = jp * kc * NR;
        const fullN = j + NR <= N;
        for (let ip = 0; ip < mPanels; ip++) {
          const i = i0 + ip * 4;
          if (fullN && i + 4 <= M) {
            micro4x3(Ap, ip * kc * 4, Bp, bBase, kc, c, i * N + j, N, first);
          } else {
            microEdge(Ap, ip * kc * 4, Bp, bBase, kc, c, M, N, i, j, first);
          }
        }
      }
    }
  }
}

// Index arithmetic is written `(x + c) | 0` so V8 emits plain int32 adds without overflow checks.
function micro4x3(Ap: Float64Array, pa: number, Bp: Float64Array, pb: number, kc: number, c: Float32Array | Float64Array, o: number, N: number, first: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0;
  let c10 = 0, c11 = 0, c12 = 0;
  let c20 = 0, c21 = 0, c22 = 0;
  let c30 = 0, c31 = 0, c32 = 0;
  for (let kk = 0; kk < kc; kk = (kk + 1) | 0) {
    const b0 = Bp[pb], b1 = Bp[(pb + 1) | 0], b2 = Bp[(pb + 2) | 0];
    let a = Ap[pa];
    c00 += a * b0; c01 += a * b1; c02 += a * b2;
    a = Ap[(pa + 1) | 0];
    c10 += a * b0; c11 += a * b1; c12 += a * b2;
    a = Ap[(pa + 2) | 0];
    c20 += a * b0; c21 += a * b1; c22 += a * b2;
    a = Ap[(pa + 3) | 0];
    c30 += a * b0; c31 += a * b1; c32 += a * b2;
    pa = (pa + 4) | 0;
    pb = (pb + 3) | 0;
  }
  if (first) {
    c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; o += N;
    c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; o += N;
    c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; o += N;
    c[o] = c30; c[o + 1] = c31; c[o + 2] = c32;
  } else {
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; o += N;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; o += N;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; o += N;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32;
  }
}

// float64 so that tests running the reference path in float64 keep full precision.
const edgeTile = new Float64Array(4 * NR);

// Tiles on the right/bottom border: the panels are zero-padded, so run the same micro-kernel into
// a scratch tile and store only the valid part.
function microEdge(Ap: Float64Array, pa: number, Bp: Float64Array, pb: number, kc: number, c: Float32Array, M: number, N: number, i: number, j: number, first: boolean): void {
  micro4x3(Ap, pa, Bp, pb, kc, edgeTile, 0, NR, true);
  for (let r = 0; r < 4 && i + r < M; r++) {
    for (let q = 0; q < NR && j + q < N; q++) {
      const o = (i + r) * N + j + q;
      c[o] = first ? edgeTile[r * NR + q] : c[o] + edgeTile[r * NR + q];
    }
  }
}

let rowAcc = new Float64Array(256);

// Batch-1/2 inference: stream B rows once (axpy form, 4 rows of B per pass over the accumulator)
// instead of padding M to 4.
function gemmSmallM(M: number, N: number, K: number, a: ArrayLike<number>, transA: boolean, b: ArrayLike<number>, c: Float32Array): void {
  if (rowAcc.length < N) rowAcc = new Float64Array(N);
  const acc = rowAcc;
  const at = (i: number, k: number) => (transA ? a[k * M + i] : a[i * K + k]);
  for (let i = 0; i < M; i++) {
    acc.fill(0, 0, N);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const a0 = at(i, k), a1 = at(i, k + 1), a2 = at(i, k + 2), a3 = at(i, k + 3);
      const o0 = k * N, o1 = o0 + N, o2 = o1 + N, o3 = o2 + N;
      for (let j = 0; j < N; j++) acc[j] += a0 * b[o0 + j] + a1 * b[o1 + j] + a2 * b[o2 + j] + a3 * b[o3 + j];
    }
    for (; k < K; k++) {
      const av = at(i, k);
      const off = k * N;
      for (let j = 0; j < N; j++) acc[j] += av * b[off + j];
    }
    const o = i * N;
    for (let j = 0; j < N; j++) c[o + j] = acc[j];
  }
}
