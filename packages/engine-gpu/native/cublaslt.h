// GEMM through cuBLASLt, dlopen'd on first use: the addon builds and loads on machines without
// cuBLAS, and says what it tried when the library is absent.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace atelier {

struct CublasLtStatus {
  bool loaded;
  std::string path;    // the shared object opened
  std::string reason;  // why not loaded: every path tried
  size_t version;
};

/** Loads cuBLASLt once: `explicitPath` (file or folder) if given, then ATELIER_CUBLASLT_PATH, then
 *  libcublasLt.so.13/.12/.so on the loader's path. A failed load may be retried with another path. */
CublasLtStatus cublasLtLoad(const char* explicitPath);
/** Destroys this thread's plans and handle (runtime teardown). */
void cublasLtThreadTeardown();

/** Row-major C[M,N] = op(A)·op(B) (+ bias[N]) then act (0 none, 1 relu, 2 sigmoid, 3 tanh) on `stream`.
 *  precision 0 TF32, 1 bf16 (A, B cast into `scratch`), 2 strict float32. */
int cublasLtGemm(cudaStream_t stream, int64_t M, int64_t N, int64_t K, const float* a, bool transA, const float* b, bool transB, float* c,
                 const float* bias, int act, int precision, void* workspace, size_t workspaceBytes, void* scratch);

/** Row-major bf16 A[M,K] × bf16 B[K,N] → float32 C[M,N], float32 accumulation. */
int cublasLtGemmBf16(cudaStream_t stream, int64_t M, int64_t N, int64_t K, const uint16_t* a, const uint16_t* b, float* c, void* workspace,
                     size_t workspaceBytes);

}  // namespace atelier
