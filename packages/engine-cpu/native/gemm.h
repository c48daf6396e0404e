// SGEMM the BLIS way: C[M,N] = act(op(A)[M,K] · op(B)[K,N] + bias).
#pragma once
#include <cstdint>
#include <string>

namespace atelier {

enum class Activation : int { None = 0, Relu = 1, Sigmoid = 2, Tanh = 3 };

/** Pick the micro-kernel for this CPU (or the one ATELIER_ENGINE_CPU_ISA forces); call once at load. */
void selectGemmKernel();
const char* gemmIsa();
/** Switch to one ISA's micro-kernel ("" = best available); false when this CPU lacks it. */
bool useGemmIsa(const std::string& isa);

/**
 * a: [M,K] row-major, or [K,M] when transA; b: [K,N], or [N,K] when transB; c: [M,N], fully
 * overwritten; bias: [N] or null.
 */
void sgemm(int64_t M, int64_t N, int64_t K, const float* a, bool transA, const float* b, bool transB,
           float* c, const float* bias, Activation act);

/** Bias + activation over rows [r0, r1) and columns [j0, j1) of C (row stride ldc). */
void gemmEpilogue(float* c, int64_t ldc, int64_t r0, int64_t r1, int64_t j0, int64_t j1, const float* bias, Activation act);

}  // namespace atelier
