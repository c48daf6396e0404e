// GotoBLAS/BLIS loop nest around a register-blocked micro-kernel:
//   for jc (NC columns of B) → for pc (KC-deep slice) → pack op(B) into NR-column panels
//     → for ic (MC rows, split across the pool) → pack op(A) into MR-row panels
//       → for jr, ir: micro-kernel on one MR×NR tile of C.
// Transposes are absorbed by the packing (element strides), so every combination runs the same
// micro-kernel. The first K slice stores, later ones accumulate; after the last slice the
// bias + activation epilogue runs on the finished rows while they are still in cache.
#include "gemm.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bits.h"
#include "gemm-kernels.h"
#include "thread-pool.h"

namespace atelier {
namespace {

GemmKernel active = portableKernel();

constexpr int64_t KC = 256;
constexpr int64_t NC = 4096;

int64_t mcFor(const GemmKernel& k) { return static_cast<int64_t>(k.mr) * (k.mr >= 12 ? 12 : 16); }

// 64-byte aligned scratch that only grows (one per thread: no allocation on the hot path).
struct Scratch {
  float* data = nullptr;
  size_t size = 0;
  float* get(size_t n) {
    if (n > size) {
      std::free(data);
      data = static_cast<float*>(std::aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64));
      size = n;
    }
    return data;
  }
  ~Scratch() { std::free(data); }
};
thread_local Scratch packA, packB;

// Ap: panels of MR rows, k-major; rows past m are zero.
void packAPanels(const float* a, int64_t rs, int64_t cs, int64_t m, int64_t kc, int mr, float* Ap) {
  for (int64_t p = 0; p < m; p += mr) {
    const int64_t rows = std::min<int64_t>(mr, m - p);
    if (cs == 1) {  // row-major op(A): read each row once, scatter into the panel
      for (int64_t i = 0; i < rows; i++) {
        const float* src = a + (p + i) * rs;
        for (int64_t k = 0; k < kc; k++) Ap[k * mr + i] = src[k];
      }
    } else {  // transposed: contiguous in i
      for (int64_t k = 0; k < kc; k++) {
        const float* src = a + p * rs + k * cs;
        for (int64_t i = 0; i < rows; i++) Ap[k * mr + i] = src[i * rs];
      }
    }
    if (rows < mr)
      for (int64_t k = 0; k < kc; k++)
        for (int64_t i = rows; i < mr; i++) Ap[k * mr + i] = 0.f;
    Ap += kc * mr;
  }
}

// Bp: panels of NR columns, k-major; columns past n are zero.
void packBPanels(const float* b, int64_t rs, int64_t cs, int64_t kc, int64_t n, int nr, float* Bp, int64_t p0, int64_t p1) {
  for (int64_t p = p0; p < p1; p += nr) {
    float* dst = Bp + (p / nr) * kc * nr;
    const int64_t cols = std::min<int64_t>(nr, n - p);
    if (cs == 1) {
      for (int64_t k = 0; k < kc; k++) {
        const float* src = b + k * rs + p;
        float* d = dst + k * nr;
        int64_t j = 0;
        for (; j < cols; j++) d[j] = src[j];
        for (; j < nr; j++) d[j] = 0.f;
      }
    } else {  // transposed B ([N,K]): each column of op(B) is a contiguous row
      for (int64_t j = 0; j < cols; j++) {
        const float* src = b + (p + j) * cs;
        for (int64_t k = 0; k < kc; k++) dst[k * nr + j] = src[k * rs];
      }
      for (int64_t j = cols; j < nr; j++)
        for (int64_t k = 0; k < kc; k++) dst[k * nr + j] = 0.f;
    }
  }
}

inline float sigmoid(float v) {
  if (v >= 0) return 1.f / (1.f + std::exp(-v));
  const float e = std::exp(v);
  return e / (1.f + e);
}

}  // namespace

bool useGemmIsa(const std::string& want) {
#if defined(ATELIER_X86_KERNELS)
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (want == "portable") active = portableKernel();
  else if (want == "avx2" && avx2) active = avx2Kernel();
  else if (want == "avx512" && avx512) active = avx512Kernel();
  else if (want.empty()) active = avx512 ? avx512Kernel() : avx2 ? avx2Kernel() : portableKernel();
  else return false;
  return true;
#else
  if (want.empty() || want == "portable") {
    active = portableKernel();
    return true;
  }
  return false;
#endif
}

void selectGemmKernel() {
  const char* force = std::getenv("ATELIER_ENGINE_CPU_ISA");
  if (!force || !useGemmIsa(force)) useGemmIsa("");
}

const char* gemmIsa() { return active.isa; }

void gemmEpilogue(float* c, int64_t ldc, int64_t r0, int64_t r1, int64_t j0, int64_t j1, const float* bias, Activation act) {
  if (!bias && act == Activation::None) return;
  for (int64_t i = r0; i < r1; i++) {
    float* row = c + i * ldc;
    if (bias)
      for (int64_t j = j0; j < j1; j++) row[j] += bias[j];
    switch (act) {
      case Activation::Relu:
        for (int64_t j = j0; j < j1; j++) row[j] = relu(row[j]);  // NaN passes through
        break;
      case Activation::Sigmoid:
        for (int64_t j = j0; j < j1; j++) row[j] = sigmoid(row[j]);
        break;
      case Activation::Tanh:
        for (int64_t j = j0; j < j1; j++) row[j] = std::tanh(row[j]);
        break;
      case Activation::None:
        break;
    }
  }
}

void sgemm(int64_t M, int64_t N, int64_t K, const float* a, bool transA, const float* b, bool transB,
           float* c, const float* bias, Activation act) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    std::memset(c, 0, sizeof(float) * M * N);
    gemmEpilogue(c, N, 0, M, 0, N, bias, act);
    return;
  }
  const GemmKernel kern = active;
  const int mr = kern.mr, nr = kern.nr;
  // op(A)(i,k) = a[i*ars + k*acs]; op(B)(k,j) = b[k*brs + j*bcs]
  const int64_t ars = transA ? 1 : K, acs = transA ? M : 1;
  if (M <= 4) {
    kern.smallM(M, N, K, a, ars, acs, b, transB, c, packA.get(static_cast<size_t>(K)));
    gemmEpilogue(c, N, 0, M, 0, N, bias, act);
    return;
  }
  if (N == 1) {
    // One output column (binary/regression heads): Cᵀ = op(B)ᵀ·op(A)ᵀ is one row with C's storage;
    // op(B) is K contiguous floats either way, and op(A)ᵀ is A's storage read as [M,K] or [K,M].
    kern.smallM(1, M, K, b, 0, 1, a, !transA, c, packA.get(static_cast<size_t>(K)));
    gemmEpilogue(c, N, 0, M, 0, N, bias, act);
    return;
  }
  const int64_t brs = transB ? 1 : N, bcs = transB ? K : 1;
  // Small products are not worth waking the pool for.
  const double flops = 2.0 * M * N * K;
  const int want = flops < 2.0e6 ? 1 : threadCount();
  int64_t mc = mcFor(kern);
  if (want > 1) {  // enough row blocks that every thread has one
    const int64_t share = (M + want - 1) / want;
    mc = std::min(mc, std::max<int64_t>(mr, ((share + mr - 1) / mr) * mr));
  }
  const int64_t ncMax = std::min<int64_t>(NC, ((N + nr - 1) / nr) * nr);
  const int64_t kcMax = std::min<int64_t>(KC, K);
  float* Bp = packB.get(static_cast<size_t>(ncMax * kcMax));

  for (int64_t jc = 0; jc < N; jc += NC) {
    const int64_t nc = std::min<int64_t>(NC, N - jc);
    const int64_t ncPad = ((nc + nr - 1) / nr) * nr;
    for (int64_t pc = 0; pc < K; pc += KC) {
      const int64_t kc = std::min<int64_t>(KC, K - pc);
      const bool first = pc == 0, last = pc + kc == K;
      const float* bBlock = b + pc * brs + jc * bcs;
      parallelRun(want, [&](int tid, int n) {
        // Pack this thread's share of B's panels, then (after everyone has) compute.
        const int64_t panels = ncPad / nr;
        const int64_t per = (panels + n - 1) / n;
        const int64_t p0 = std::min(panels, tid * per) * nr, p1 = std::min(panels, (tid + 1) * per) * nr;
        packBPanels(bBlock, brs, bcs, kc, nc, nr, Bp, p0, p1);
      });
      parallelRun(want, [&](int tid, int n) {
        float* Ap = packA.get(static_cast<size_t>(mc * kc));
        alignas(64) float tile[16 * 64];
        for (int64_t ic = tid * mc; ic < M; ic += n * mc) {
          const int64_t m = std::min(mc, M - ic);
          packAPanels(a + ic * ars + pc * acs, ars, acs, m, kc, mr, Ap);
          for (int64_t jr = 0; jr < nc; jr += nr) {
            const int64_t nn = std::min<int64_t>(nr, nc - jr);
            const float* bp = Bp + (jr / nr) * kc * nr;
            for (int64_t ir = 0; ir < m; ir += mr) {
              const int64_t mm = std::min<int64_t>(mr, m - ir);
              const float* ap = Ap + (ir / mr) * kc * mr;
              float* cTile = c + (ic + ir) * N + jc + jr;
              if (mm == mr && nn == nr) {
                kern.run(static_cast<int>(kc), ap, bp, cTile, N, !first);
              } else {  // edge tile: compute the full tile aside, keep the valid part
                kern.run(static_cast<int>(kc), ap, bp, tile, nr, false);
                for (int64_t i = 0; i < mm; i++)
                  for (int64_t j = 0; j < nn; j++)
                    cTile[i * N + j] = first ? tile[i * nr + j] : cTile[i * N + j] + tile[i * nr + j];
              }
            }
          }
          if (last) gemmEpilogue(c, N, ic, ic + m, jc, jc + nc, bias, act);
        }
      });
    }
  }
}

}  // namespace atelier
