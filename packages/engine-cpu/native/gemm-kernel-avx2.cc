// AVX2+FMA 6×16 micro-kernel: 12 ymm accumulators, 2 B loads and one broadcast per row per k.
#include <immintrin.h>
#include "gemm-kernels.h"
#include "gemm-small-m.h"

namespace atelier {
namespace {
constexpr int MR = 6, NR = 16;

void kernel(int K, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate) {
  __m256 c0[MR], c1[MR];
#pragma GCC unroll 6
  for (int i = 0; i < MR; i++) c0[i] = c1[i] = _mm256_setzero_ps();
  for (int k = 0; k < K; k++) {
    const __m256 b0 = _mm256_loadu_ps(Bp), b1 = _mm256_loadu_ps(Bp + 8);
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++) {
      const __m256 a = _mm256_broadcast_ss(Ap + i);
      c0[i] = _mm256_fmadd_ps(a, b0, c0[i]);
      c1[i] = _mm256_fmadd_ps(a, b1, c1[i]);
    }
    Ap += MR;
    Bp += NR;
  }
#pragma GCC unroll 6
  for (int i = 0; i < MR; i++) {
    float* c = C + i * ldc;
    __m256 r0 = c0[i], r1 = c1[i];
    if (accumulate) {
      r0 = _mm256_add_ps(r0, _mm256_loadu_ps(c));
      r1 = _mm256_add_ps(r1, _mm256_loadu_ps(c + 8));
    }
    _mm256_storeu_ps(c, r0);
    _mm256_storeu_ps(c + 8, r1);
  }
}
}  // namespace

GemmKernel avx2Kernel() { return {"avx2", MR, NR, kernel, small_m::run}; }
}  // namespace atelier
