// Bias + ReLU applied to finished rows of a GEMM output, shared by the GEMM kernels.

/** Bias + ReLU over rows [r0, r1) of C (after the product, on the rows just computed). */
export function epilogueRows(c: Float32Array, r0: number, r1: number, N: number, bias: ArrayLike<number> | null, relu: boolean): void {
  // C is a Float64Array in the engine's float64 mode (gradient checks; allocFloat), where the float32
  // bit trick below would be wrong: that case takes the plain loop.
  if (relu && c instanceof Float32Array) {
    // Branchless ReLU on the float32 bits: keep the bits unless the stored value is <= 0
    // (-0 and negative values become +0, NaN stays NaN). A 50/50 sign pattern makes the branchy
    // form mispredict on every other element.
    const ci = new Int32Array(c.buffer, c.byteOffset, c.length);
    for (let i = r0; i < r1; i++) {
      const o = i * N;
      if (bias) for (let j = 0; j < N; j++) c[o + j] += bias[j];
      for (let k = o, e = o + N; k < e; k++) ci[k] &= -+!(c[k] <= 0);
    }
    return;
  }
  for (let i = r0; i < r1; i++) {
    const o = i * N;
    if (bias) for (let j = 0; j < N; j++) c[o + j] += bias[j];
    if (relu) for (let j = 0; j < N; j++) if (c[o + j] <= 0) c[o + j] = 0;
  }
}
