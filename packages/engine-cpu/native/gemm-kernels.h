// Register-blocked SGEMM micro-kernels, one per instruction set, each in its own file (compiled
// with its own -m flags) and chosen once at load from the CPU's features.
#pragma once
#include <cstddef>

namespace atelier {

// C[MR×NR] (row stride ldc) = (accumulate ? C : 0) + Ap·Bp over k < K, where Ap is an MR-row
// panel packed k-major (Ap[k*MR + i]) and Bp an NR-column panel packed k-major (Bp[k*NR + j]).
using MicroKernel = void (*)(int K, const float* Ap, const float* Bp, float* C, std::ptrdiff_t ldc, bool accumulate);

struct GemmKernel {
  const char* isa;
  int mr, nr;
  MicroKernel run;
};

GemmKernel portableKernel();
#if defined(ATELIER_X86_KERNELS)
GemmKernel avx2Kernel();
GemmKernel avx512Kernel();
#endif

}  // namespace atelier
