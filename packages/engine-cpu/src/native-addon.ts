// Typed facade of the compiled addon (build/Release/atelier_engine_cpu.node). Arrays are used in
// place; the addon re-checks types and lengths and throws a TypeError on a bad call.
export interface NativeAddon {
  info(): { isa: 'avx512' | 'avx2' | 'portable'; threads: number; avx2?: boolean; avx512f?: boolean };
  setThreads(n: number): number;
  /** Switch the GEMM micro-kernel ('' = best for this CPU); false when the CPU lacks that ISA. */
  useIsa(isa: '' | 'avx512' | 'avx2' | 'portable'): boolean;
  /** act: 0 none, 1 relu, 2 sigmoid, 3 tanh */
  sgemm(M: number, N: number, K: number, a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, c: Float32Array, bias: Float32Array | null, act: number): void;
  /** op: 0 add, 1 sub, 2 mul, 3 div, 4 maximum, 5 minimum; mode: 0 same, 1 scalar b, 2 scalar a, 3 row b, 4 one b per row */
  binary(op: number, mode: number, x: Float32Array, y: Float32Array, out: Float32Array): void;
  /** op: 0 relu, 1 sigmoid, 2 tanh, 3 neg, 4 square, 5 exp */
  unary(op: number, x: Float32Array, out: Float32Array): void;
  reluGrad(dy: Float32Array, y: Float32Array, out: Float32Array): void;
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  sumLast(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  reluGradBiasSum(dy: Float32Array, y: Float32Array, rows: number, cols: number, g: Float32Array, db: Float32Array): void;
  bceWithLogits(logits: Float32Array, labels: Float32Array, out: Float32Array): void;
  /** Softmax (or log-softmax when log) of each of `rows` rows of width m. */
  softmax(x: Float32Array, rows: number, m: number, out: Float32Array, log: boolean): void;
  /** Returns -1, or the first row whose label is outside [0, c). */
  sparseSoftmaxCrossEntropy(logits: Float32Array, labels: Int32Array, n: number, c: number, loss: Float32Array, probs: Float32Array): number;
  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, rows: Int32Array | null, rowWidth: number,
    lr: number, beta1: number, beta2: number, eps: number, step: number, l2: number, weightDecay: number, decoupled: boolean): void;
  sgd(param: Float32Array, grad: Float32Array, velocity: Float32Array, rows: Int32Array | null, rowWidth: number,
    lr: number, momentum: number, nesterov: boolean, l2: number): void;
  /** Returns -1, or the position of the first id outside [0, V). */
  gather(table: Float32Array, V: number, D: number, ids: Int32Array, out: Float32Array): number;
  /** Zeroes `out`, then adds; returns -1, or the position of the first row outside [0, numRows). */
  scatterAdd(values: Float32Array, D: number, rows: Int32Array, numRows: number, out: Float32Array): number;
  /** Distinct rows ≥ 0 (ascending) into uniq and their summed value rows into out (both sized for K rows); returns their count U. */
  /** `rows` runs of `width` floats from src[srcOff + r·srcStride] to dst[dstOff + r·dstStride]. */
  copyRows(src: Float32Array, srcOff: number, srcStride: number, dst: Float32Array, dstOff: number, dstStride: number, rows: number, width: number): void;
  coalesceRows(rows: Int32Array, values: Float32Array, D: number, uniq: Int32Array, out: Float32Array): number;
}
