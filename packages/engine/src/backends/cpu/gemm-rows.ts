// Zero-skipping GEMM kernel: C[M,N] += op(A)[M,K] · op(B)[K,N], for inputs with many exact zeros.
// Per K-block (KC) the B block is packed into 6-column panels (float64), and per (MC×KC) block every
// row of op(A) is compacted to its non-zero entries (value + premultiplied panel offset, written
// branchlessly). The 1×6 micro-kernel then walks one compacted row against one panel (in L1),
// accumulating six dot products in float64 registers.
// Why:
// - ReLU nets feed matrices that are ~50% exact zeros (activations, masked gradients); skipping
//   them halves the work of those products (measured 1.6–2.4× the packed 4×3 kernel at 50% zeros).
// - 6 accumulators + 1 value leave V8 free XMM registers (the 4×3 block spills).
// - The buffers are module-level `const` arrays of fixed size, read directly by the micro-kernel:
//   Turbofan then embeds their base pointers and lengths as constants (~1.7× on the inner loop).
//   Once any ArrayBuffer in the process has been detached (wasm memory growth, transfers), V8 adds
//   a detach check per typed-array access and this kernel only wins with ≥ ~15% zeros, so gemm.ts
//   sends dense inputs to the packed kernel.
// Zero skipping is exact: a skipped term adds ±0 to a float64 sum (same bits as the dense loop,
// same k order). Only `0 · Inf = NaN` differs, so a B block holding Inf or NaN keeps every entry.

const RN = 6; // columns per B panel
const KC = 256;
const MC = 128;
const NC = 384; // a multiple of RN

const packedB = new Float64Array(NC * KC);
const rowsT = new Float64Array(MC * KC); // scratch for transposed op(A) blocks
const nzOffset = new Int32Array(MC * KC); // k·RN of each kept entry of a row
const nzValue = new Float64Array(MC * KC);
const rowEnd = new Int32Array(MC);
const tile = new Float64Array(RN);

/**
 * C = op(A)·op(B) with zero skipping on op(A), for M, N, K ≥ 1. C(i, j) is c[i·cRow + j·cCol]
 * (cRow = 1, cCol = N stores the product transposed). C must be zeroed: blocks accumulate into it.
 */
export function gemmRows(M: number, N: number, K: number, a: ArrayLike<number>, transA: boolean, b: ArrayLike<number>, transB: boolean, c: Float32Array, cRow: number, cCol: number): void {
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const nPanels = Math.ceil(nc / RN);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = Math.min(KC, K - k0);
      const finite = packB(b, transB, N, K, jc, nc, k0, kc, nPanels);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        if (transA) compactRowsT(a, M, i0, mc, k0, kc, finite);
        else compactRows(a, K, i0, mc, k0, kc, finite);
        macroKernel(c, i0, mc, kc, jc, nc, nPanels, cRow, cCol);
      }
    }
  }
}

// Every compacted row of the A block against every panel: the panel stays in L1 across rows.
// A separate function so the inlined micro-kernel sees few live outer-loop values.
function macroKernel(c: Float32Array, i0: number, mc: number, kc: number, jc: number, nc: number, nPanels: number, cRow: number, cCol: number): void {
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jc + jp * RN;
    const pb = jp * kc * RN;
    const jn = Math.min(RN, jc + nc - j0);
    if (jn === RN) {
      for (let r = 0; r < mc; r++) micro1x6(r * kc, rowEnd[r], pb, c, (i0 + r) * cRow + j0 * cCol, cCol);
    } else {
      for (let r = 0; r < mc; r++) {
        microTile(r * kc, rowEnd[r], pb);
        const o = (i0 + r) * cRow + j0 * cCol;
        for (let q = 0; q < jn; q++) c[o + q * cCol] += tile[q];
      }
    }
  }
}

// op(B)[k0:k0+kc, jc:jc+nc] → packedB[jp·kc·6 + kk·6 + jj] (last panel zero-padded). Returns
// false when the block holds Inf or NaN (then A's zeros must be multiplied, not skipped).
function packB(b: ArrayLike<number>, transB: boolean, N: number, K: number, jc: number, nc: number, k0: number, kc: number, nPanels: number): boolean {
  const P = packedB;
  let probe = 0; // stays 0 unless some v·0 is NaN
  for (let jp = 0; jp < nPanels; jp++) {
    const j0 = jc + jp * RN;
    const base = jp * kc * RN;
    const jn = Math.min(RN, jc + nc - j0);
    if (!transB && jn === RN) {
      let src = k0 * N + j0;
      for (let kk = 0, dst = base; kk < kc; kk++, dst += RN, src += N) {
        const v0 = b[src], v1 = b[src + 1], v2 = b[src + 2], v3 = b[src + 3], v4 = b[src + 4], v5 = b[src + 5];
        P[dst] = v0; P[dst + 1] = v1; P[dst + 2] = v2; P[dst + 3] = v3; P[dst + 4] = v4; P[dst + 5] = v5;
        probe += (v0 + v1 + v2 + v3 + v4 + v5) * 0;
      }
      continue;
    }
    for (let jj = 0; jj < RN; jj++) {
      if (jj >= jn) {
        for (let kk = 0; kk < kc; kk++) P[base + kk * RN + jj] = 0;
      } else if (transB) {
        const src = (j0 + jj) * K + k0;
        for (let kk = 0; kk < kc; kk++) {
          const v = b[src + kk];
          P[base + kk * RN + jj] = v;
          probe += v * 0;
        }
      } else {
        for (let kk = 0, src = k0 * N + j0 + jj; kk < kc; kk++, src += N) {
          const v = b[src];
          P[base + kk * RN + jj] = v;
          probe += v * 0;
        }
      }
    }
  }
  return probe === 0;
}

// Rows i0..i0+mc of row-major A[M,K], columns k0..k0+kc → kept entries of row r at
// [r·kc, rowEnd[r]). Branchless: every entry is written, the cursor only moves past non-zeros
// (NaN ≠ 0 is kept). With `skip` false every entry is kept.
function compactRows(a: ArrayLike<number>, K: number, i0: number, mc: number, k0: number, kc: number, skip: boolean): void {
  for (let r = 0; r < mc; r++) {
    const src = (i0 + r) * K + k0;
    let n = r * kc;
    if (skip) {
      for (let kk = 0; kk < kc; kk++) {
        const v = a[src + kk];
        nzOffset[n] = kk * RN;
        nzValue[n] = v;
        n += +(v !== 0);
      }
    } else {
      for (let kk = 0; kk < kc; kk++, n++) {
        nzOffset[n] = kk * RN;
        nzValue[n] = a[src + kk];
      }
    }
    rowEnd[r] = n;
  }
}

// Same for op(A) = Aᵀ with A stored [K,M]: transpose the block first (sequential reads).
function compactRowsT(a: ArrayLike<number>, M: number, i0: number, mc: number, k0: number, kc: number, skip: boolean): void {
  const S = rowsT;
  for (let kk = 0; kk < kc; kk++) {
    const src = (k0 + kk) * M + i0;
    for (let r = 0, dst = kk; r < mc; r++, dst += kc) S[dst] = a[src + r];
  }
  for (let r = 0; r < mc; r++) {
    const s = r * kc;
    let n = s;
    for (let kk = 0; kk < kc; kk++) {
      const v = S[s + kk];
      nzOffset[n] = kk * RN;
      nzValue[n] = v;
      n += skip ? +(v !== 0) : 1;
    }
    rowEnd[r] = n;
  }
}

// Index arithmetic is written `(x + c) | 0` so V8 emits plain int32 adds without overflow checks.
// The buffers are read from the module constants, not parameters (see the header).
function micro1x6(t0: number, t1: number, pb: number, c: Float32Array, o: number, cs: number): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
  for (let t = t0; t < t1; t = (t + 1) | 0) {
    const x = nzValue[t];
    const q = (pb + nzOffset[t]) | 0;
    c0 += x * packedB[q]; c1 += x * packedB[(q + 1) | 0]; c2 += x * packedB[(q + 2) | 0];
    c3 += x * packedB[(q + 3) | 0]; c4 += x * packedB[(q + 4) | 0]; c5 += x * packedB[(q + 5) | 0];
  }
  c[o] += c0; o += cs; c[o] += c1; o += cs; c[o] += c2; o += cs;
  c[o] += c3; o += cs; c[o] += c4; o += cs; c[o] += c5;
}

// The same loop into the scratch tile, for the zero-padded last panel.
function microTile(t0: number, t1: number, pb: number): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
  for (let t = t0; t < t1; t = (t + 1) | 0) {
    const x = nzValue[t];
    const q = (pb + nzOffset[t]) | 0;
    c0 += x * packedB[q]; c1 += x * packedB[(q + 1) | 0]; c2 += x * packedB[(q + 2) | 0];
    c3 += x * packedB[(q + 3) | 0]; c4 += x * packedB[(q + 4) | 0]; c5 += x * packedB[(q + 5) | 0];
  }
  tile[0] = c0; tile[1] = c1; tile[2] = c2; tile[3] = c3; tile[4] = c4; tile[5] = c5;
}
