// Portable 4×8 micro-kernel in plain C++ (the compiler vectorizes it for the baseline ISA).
#include "gemm-kernels.h"
#include "gemm-small-m.h"

namespace atelier {
namespace {
constexpr int MR = 4, NR = 8;

void kernel(int K, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate) {
  float acc[MR][NR] = {};
  for (int k = 0; k < K; k++) {
    const float* a = Ap + k * MR;
    const float* b = Bp + k * NR;
    for (int i = 0; i < MR; i++)
      for (int j = 0; j < NR; j++) acc[i][j] += a[i] * b[j];
  }
  for (int i = 0; i < MR; i++)
    for (int j = 0; j < NR; j++) C[i * ldc + j] = accumulate ? C[i * ldc + j] + acc[i][j] : acc[i][j];
}
}  // namespace

GemmKernel portableKernel() { return {"portable", MR, NR, kernel, small_m::run}; }
}  // namespace atelier
