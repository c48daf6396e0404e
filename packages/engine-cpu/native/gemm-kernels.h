// Register-blocked SGEMM micro-kernels, one per instruction set, each in its own file (compiled
// with its own -m flags) and chosen once at load from the CPU's features.
#pragma once
#include <cstddef>
#include <cstdint>

namespace atelier {

// C[MR×NR] (row stride ldc) = (accumulate ? C : 0) + Ap·Bp over k < K, where Ap is an MR-row
// panel packed k-major (Ap[k*MR + i]) and Bp an NR-column panel packed k-major (Bp[k*NR + j]).
using MicroKernel = void (*)(int K, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate);

// Unpacked path for M ≤ 4 (see gemm-small-m.h): c = op(A)·op(B), `row` is K floats of scratch.
using SmallMKernel = void (*)(int64_t M, int64_t N, int64_t K, const float* a, int64_t ars, int64_t acs, const float* b, bool transB, float* c, float* row);

struct GemmKernel {
  const char* isa;
  int mr, nr;
  MicroKernel run;
  SmallMKernel smallM;
};

GemmKernel portableKernel();
#if defined(ATELIER_X86_KERNELS)
GemmKernel avx2Kernel();
GemmKernel avx512Kernel();
#endif

}  // namespace atelier
