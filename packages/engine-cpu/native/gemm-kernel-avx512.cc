// AVX-512F 12×32 micro-kernel: 24 zmm accumulators, 2 B loads and one broadcast per row per k.
#include <immintrin.h>
#include "gemm-kernels.h"
#include "gemm-small-m.h"

namespace atelier {
namespace {
constexpr int MR = 12, NR = 32;

void kernel(int K, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate) {
  __m512 c0[MR], c1[MR];
#pragma GCC unroll 12
  for (int i = 0; i < MR; i++) c0[i] = c1[i] = _mm512_setzero_ps();
  for (int k = 0; k < K; k++) {
    const __m512 b0 = _mm512_loadu_ps(Bp), b1 = _mm512_loadu_ps(Bp + 16);
#pragma GCC unroll 12
    for (int i = 0; i < MR; i++) {
      const __m512 a = _mm512_set1_ps(Ap[i]);
      c0[i] = _mm512_fmadd_ps(a, b0, c0[i]);
      c1[i] = _mm512_fmadd_ps(a, b1, c1[i]);
    }
    Ap += MR;
    Bp += NR;
  }
#pragma GCC unroll 12
  for (int i = 0; i < MR; i++) {
    float* c = C + i * ldc;
    __m512 r0 = c0[i], r1 = c1[i];
    if (accumulate) {
      r0 = _mm512_add_ps(r0, _mm512_loadu_ps(c));
      r1 = _mm512_add_ps(r1, _mm512_loadu_ps(c + 16));
    }
    _mm512_storeu_ps(c, r0);
    _mm512_storeu_ps(c + 16, r1);
  }
}
}  // namespace

GemmKernel avx512Kernel() { return {"avx512", MR, NR, kernel, small_m::run}; }
}  // namespace atelier
