// Single-threaded GEMM in plain TypeScript: C[M,N] = op(A)[M,K] · op(B)[K,N] (+ bias, relu).
// Picks a kernel by shape and data:
// - thin shapes (1–2 rows, one column, K = 1): plain loops without packing (gemm-thin.ts);
// - an operand with ≥ 15% exact zeros (ReLU activations, ReLU-masked gradients): the
//   zero-skipping row kernel (gemm-rows.ts). When op(B) is the sparser one (dW = Xᵀ·dY), it
//   computes Cᵀ = op(B)ᵀ·op(A)ᵀ and stores it transposed, so the sparse side is the one skipped;
// - otherwise the packed 4×3 kernel (gemm-packed.ts), which is faster on dense data.
// The packed and row kernels both accumulate in float64 in k order per 256-deep K-block, so they
// agree bit for bit on finite inputs.
import { epilogueRows } from './gemm-epilogue.js';
import { gemmPacked } from './gemm-packed.js';
import { gemmRows } from './gemm-rows.js';
import { gemmSmallM, gemvRows, outerProduct } from './gemm-thin.js';

// Below this share of zeros the packed kernel wins (measured with V8's per-access detach checks
// active, the worst case for the row kernel).
const SPARSE_MIN_ZEROS = 0.15;

/**
 * @param a  A storage: [M,K] row-major, or [K,M] when transA
 * @param b  B storage: [K,N] row-major, or [N,K] when transB
 * @param c  output [M,N] row-major, fully overwritten
 * @param bias optional [N] added to every row after the product
 * @param relu apply max(x, 0) (NaN passes through) after the bias
 */
export function gemm(
  M: number, N: number, K: number,
  a: ArrayLike<number>, transA: boolean,
  b: ArrayLike<number>, transB: boolean,
  c: Float32Array,
  bias: ArrayLike<number> | null = null,
  relu = false,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    c.fill(0, 0, M * N);
  } else if (K === 1) {
    outerProduct(M, N, a, b, c);
  } else if (M <= 2 && !transB) {
    gemmSmallM(M, N, K, a, transA, b, c);
  } else if (N === 1 && transA) {
    // One column: Cᵀ = bᵀ·A is a single row with the same storage, and A [K,M] streams by rows.
    gemmSmallM(1, M, K, b, true, a, c);
  } else if (N === 1) {
    gemvRows(M, K, a, b, c);
  } else {
    const zerosA = zeroFraction(a, M * K), zerosB = zeroFraction(b, K * N);
    if (Math.max(zerosA, zerosB) < SPARSE_MIN_ZEROS) {
      gemmPacked(M, N, K, a, transA, b, transB, c, bias, relu);
      return; // the packed kernel runs the epilogue on each block while it is in cache
    }
    c.fill(0, 0, M * N);
    // Cᵀ[N,M] = op(B)ᵀ·op(A)ᵀ: its element (j, i) is stored at c[i·N + j].
    if (zerosB > zerosA) gemmRows(N, M, K, b, !transB, a, !transA, c, 1, N);
    else gemmRows(M, N, K, a, transA, b, transB, c, N, 1);
  }
  if (bias || relu) epilogueRows(c, 0, M, N, bias, relu);
}

/** Share of exact zeros, estimated from ~4k evenly spaced entries (it only steers the kernel). */
function zeroFraction(x: ArrayLike<number>, n: number): number {
  const step = n > 4096 ? Math.floor(n / 4096) : 1;
  let zeros = 0, seen = 0;
  for (let i = 0; i < n; i += step, seen++) zeros += +(x[i] === 0);
  return zeros / seen;
}
