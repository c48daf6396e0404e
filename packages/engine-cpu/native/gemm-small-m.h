// Thin products (M ≤ 4 rows: batch-1 inference, small batches) without packing: packing all of B
// for one row costs more than the product. Plain loops that each ISA's file compiles with its own
// -m flags, so the compiler vectorizes them for that ISA. Included once per micro-kernel file.
#pragma once
#include <cstdint>
#include <cstring>

namespace atelier {
// Internal linkage: each ISA's file must keep its own copy. As a plain `inline` function the linker
// kept one definition for all three files (the portable build's SSE loop served the AVX-512 and
// AVX2 paths too; had it kept the AVX-512 copy, a CPU without AVX-512 would have faulted).
namespace {
namespace small_m {

// c[M,N] = op(A)·op(B) with op(A)(i,k) = a[i*ars + k*acs]; B is [K,N] (axpy over its rows) or, when
// transB, [N,K] (a dot product per output). `row` is K floats of scratch.
inline void run(int64_t M, int64_t N, int64_t K, const float* a, int64_t ars, int64_t acs, const float* b, bool transB, float* c, float* row) {
  for (int64_t i = 0; i < M; i++) {
    for (int64_t k = 0; k < K; k++) row[k] = a[i * ars + k * acs];
    float* __restrict ci = c + i * N;
    if (!transB) {
      // Blocks of JB outputs held in registers across all of K (no load/store of c per k); each
      // c[j] still sums s·b in k order from 0, so results are bit-identical to the plain axpy.
      constexpr int64_t JB = 64;
      int64_t j0 = 0;
      for (; j0 + JB <= N; j0 += JB) {
        float acc[JB] = {};
        for (int64_t k = 0; k < K; k++) {
          const float s = row[k];
          const float* __restrict bk = b + k * N + j0;
          for (int64_t t = 0; t < JB; t++) acc[t] += s * bk[t];
        }
        std::memcpy(ci + j0, acc, sizeof(acc));
      }
      if (j0 < N) {
        std::memset(ci + j0, 0, sizeof(float) * (N - j0));
        for (int64_t k = 0; k < K; k++) {
          const float s = row[k];
          const float* __restrict bk = b + k * N;
          for (int64_t j = j0; j < N; j++) ci[j] += s * bk[j];
        }
      }
    } else {
      for (int64_t j = 0; j < N; j++) {
        const float* __restrict bj = b + j * K;
        float acc[16] = {};
        int64_t k = 0;
        for (; k + 16 <= K; k += 16)
          for (int t = 0; t < 16; t++) acc[t] += row[k + t] * bj[k + t];
        float s = 0.f;
        for (int t = 0; t < 16; t++) s += acc[t];
        for (; k < K; k++) s += row[k] * bj[k];
        ci[j] = s;
      }
    }
  }
}

}  // namespace small_m
}  // namespace
}  // namespace atelier
