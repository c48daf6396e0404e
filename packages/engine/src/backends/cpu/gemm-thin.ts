// Thin products where packing does not pay: 1–2 rows (batch-1/2 inference), one output column
// (binary and regression heads) and K = 1 (the outer product in a 1-unit head's backward).
// All accumulate in float64 and round once into C.

let rowAcc = new Float64Array(256);

// Batch-1/2 inference: stream B rows once (axpy form, 4 rows of B per pass over the accumulator)
// instead of packing.
export function gemmSmallM(M: number, N: number, K: number, a: ArrayLike<number>, transA: boolean, b: ArrayLike<number>, c: Float32Array): void {
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

/** C[M,1] = A[M,K]·b[K], A row-major: four rows per pass share each load of b. */
export function gemvRows(M: number, K: number, a: ArrayLike<number>, b: ArrayLike<number>, c: Float32Array): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = 0, o = i * K; k < K; k++, o++) {
      const bk = b[k];
      s0 += a[o] * bk; s1 += a[o + K] * bk; s2 += a[o + 2 * K] * bk; s3 += a[o + 3 * K] * bk;
    }
    c[i] = s0; c[i + 1] = s1; c[i + 2] = s2; c[i + 3] = s3;
  }
  for (; i < M; i++) {
    let s = 0;
    for (let k = 0, o = i * K; k < K; k++, o++) s += a[o] * b[k];
    c[i] = s;
  }
}

/** C[M,N] = a[M]·b[N]ᵀ (K = 1: both operands are plain vectors whatever their transposes). */
export function outerProduct(M: number, N: number, a: ArrayLike<number>, b: ArrayLike<number>, c: Float32Array): void {
  for (let i = 0; i < M; i++) {
    const ai = a[i];
    for (let j = 0, o = i * N; j < N; j++, o++) c[o] = ai * b[j];
  }
}
