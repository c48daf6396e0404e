// cuBLASLt without its header or link-time library: the few types, enum values (from cublasLt.h /
// cublas_api.h of CUDA 12-13) and entry points the GEMM needs, resolved with dlsym.
#include "cublaslt.h"

#include <dlfcn.h>
#include <library_types.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <tuple>

#include "kernels.h"
#include "runtime.h"

namespace atelier {
namespace {

// ------------------------------------------------------------------ declarations (cublasLt.h)
using cublasStatus_t = int;
using cublasLtHandle_t = struct cublasLtContext*;
using cublasLtMatmulDesc_t = struct cublasLtMatmulDescOpaque*;
using cublasLtMatrixLayout_t = struct cublasLtMatrixLayoutOpaque*;
using cublasLtMatmulPreference_t = struct cublasLtMatmulPreferenceOpaque*;
struct cublasLtMatmulAlgo_t {
  uint64_t data[8];
};
struct cublasLtMatmulHeuristicResult_t {
  cublasLtMatmulAlgo_t algo;
  size_t workspaceSize;
  cublasStatus_t state;
  float wavesCount;
  int reserved[4];
};
constexpr int CUBLAS_COMPUTE_32F = 68;
constexpr int CUBLAS_COMPUTE_32F_FAST_TF32 = 77;
constexpr int CUBLAS_OP_N = 0, CUBLAS_OP_T = 1;
constexpr int CUBLASLT_MATMUL_DESC_TRANSA = 3, CUBLASLT_MATMUL_DESC_TRANSB = 4, CUBLASLT_MATMUL_DESC_EPILOGUE = 7,
              CUBLASLT_MATMUL_DESC_BIAS_POINTER = 8, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE = 26;
constexpr uint32_t CUBLASLT_EPILOGUE_DEFAULT = 1, CUBLASLT_EPILOGUE_RELU = 2, CUBLASLT_EPILOGUE_BIAS = 4, CUBLASLT_EPILOGUE_RELU_BIAS = 6;
constexpr int CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES = 1, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES = 5,
              CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES = 6, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES = 7,
              CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES = 8;

struct Api {
  cublasStatus_t (*create)(cublasLtHandle_t*);
  cublasStatus_t (*destroy)(cublasLtHandle_t);
  size_t (*getVersion)();
  cublasStatus_t (*descCreate)(cublasLtMatmulDesc_t*, int computeType, cudaDataType scaleType);
  cublasStatus_t (*descSetAttribute)(cublasLtMatmulDesc_t, int attr, const void* buf, size_t size);
  cublasStatus_t (*descDestroy)(cublasLtMatmulDesc_t);
  cublasStatus_t (*layoutCreate)(cublasLtMatrixLayout_t*, cudaDataType type, uint64_t rows, uint64_t cols, int64_t ld);
  cublasStatus_t (*layoutDestroy)(cublasLtMatrixLayout_t);
  cublasStatus_t (*prefCreate)(cublasLtMatmulPreference_t*);
  cublasStatus_t (*prefSetAttribute)(cublasLtMatmulPreference_t, int attr, const void* buf, size_t size);
  cublasStatus_t (*prefDestroy)(cublasLtMatmulPreference_t);
  cublasStatus_t (*heuristic)(cublasLtHandle_t, cublasLtMatmulDesc_t, cublasLtMatrixLayout_t, cublasLtMatrixLayout_t, cublasLtMatrixLayout_t,
                              cublasLtMatrixLayout_t, cublasLtMatmulPreference_t, int requested, cublasLtMatmulHeuristicResult_t* results,
                              int* returned);
  cublasStatus_t (*matmul)(cublasLtHandle_t, cublasLtMatmulDesc_t, const void* alpha, const void* A, cublasLtMatrixLayout_t, const void* B,
                           cublasLtMatrixLayout_t, const void* beta, const void* C, cublasLtMatrixLayout_t, void* D, cublasLtMatrixLayout_t,
                           const cublasLtMatmulAlgo_t* algo, void* workspace, size_t workspaceBytes, cudaStream_t stream);
};

Api g_api;
void* g_lib = nullptr;
CublasLtStatus g_status{false, "", "not loaded yet", 0};
// The library is process-wide (loaded once, under g_loadLock); the handle and the plan cache belong
// to the thread that uses them, like the stream (runtime.cc).
std::mutex g_loadLock;
thread_local cublasLtHandle_t g_handle = nullptr;

const char* statusName(cublasStatus_t s) {
  switch (s) {
    case 0: return "CUBLAS_STATUS_SUCCESS";
    case 1: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case 3: return "CUBLAS_STATUS_ALLOC_FAILED";
    case 7: return "CUBLAS_STATUS_INVALID_VALUE";
    case 8: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case 11: return "CUBLAS_STATUS_MAPPING_ERROR";
    case 13: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case 14: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case 15: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case 16: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "CUBLAS_STATUS_UNKNOWN";
  }
}

int failStatus(int line, cublasStatus_t s, const char* what) {
  char msg[200];
  std::snprintf(msg, sizeof msg, "%s (%d) in %s", statusName(s), s, what);
  return atl_fail(__FILE__, line, msg);
}

#define LT_CHECK(call, what)                                            \
  do {                                                                  \
    cublasStatus_t lt_s_ = (call);                                      \
    if (lt_s_ != 0) return failStatus(__LINE__, lt_s_, what);           \
  } while (0)

bool isDirectory(const char* p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char* const kNames[] = {"libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"};

template <typename F>
bool resolve(void* lib, const char* name, F* out, std::string* missing) {
  *out = reinterpret_cast<F>(dlsym(lib, name));
  if (!*out) *missing += std::string(missing->empty() ? "" : ", ") + name;
  return *out != nullptr;
}

/** Tries one file; on success fills g_api and g_status. Appends what happened to `tried`. */
bool tryOpen(const std::string& file, std::string* tried) {
  dlerror();
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* err = dlerror();
    *tried += "\n  " + file + ": " + (err ? err : "dlopen failed");
    return false;
  }
  Api api{};
  std::string missing;
  resolve(lib, "cublasLtCreate", &api.create, &missing);
  resolve(lib, "cublasLtDestroy", &api.destroy, &missing);
  resolve(lib, "cublasLtGetVersion", &api.getVersion, &missing);
  resolve(lib, "cublasLtMatmulDescCreate", &api.descCreate, &missing);
  resolve(lib, "cublasLtMatmulDescSetAttribute", &api.descSetAttribute, &missing);
  resolve(lib, "cublasLtMatmulDescDestroy", &api.descDestroy, &missing);
  resolve(lib, "cublasLtMatrixLayoutCreate", &api.layoutCreate, &missing);
  resolve(lib, "cublasLtMatrixLayoutDestroy", &api.layoutDestroy, &missing);
  resolve(lib, "cublasLtMatmulPreferenceCreate", &api.prefCreate, &missing);
  resolve(lib, "cublasLtMatmulPreferenceSetAttribute", &api.prefSetAttribute, &missing);
  resolve(lib, "cublasLtMatmulPreferenceDestroy", &api.prefDestroy, &missing);
  resolve(lib, "cublasLtMatmulAlgoGetHeuristic", &api.heuristic, &missing);
  resolve(lib, "cublasLtMatmul", &api.matmul, &missing);
  if (!missing.empty()) {
    dlclose(lib);
    *tried += "\n  " + file + ": opened, but it lacks " + missing;
    return false;
  }
  g_api = api;
  g_lib = lib;
  g_status = {true, file, "", api.getVersion()};
  return true;
}

/** A file, or a folder holding one of kNames. */
bool tryLocation(const std::string& where, std::string* tried) {
  if (!isDirectory(where.c_str())) return tryOpen(where, tried);
  for (const char* name : kNames)
    if (tryOpen(where + "/" + name, tried)) return true;
  return false;
}

// ------------------------------------------------------------------ plans
// The heuristic query costs far more than a small GEMM: one plan per shape, reused every step.
using PlanKey = std::tuple<int64_t, int64_t, int64_t, bool, bool, uint32_t, int, int, size_t, uint32_t, uint32_t, uint32_t>;
struct Plan {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulAlgo_t algo{};
};
thread_local std::map<PlanKey, Plan> g_plans;
constexpr size_t kMaxPlans = 512;

void destroyPlan(Plan& p) {
  if (p.desc) g_api.descDestroy(p.desc);
  if (p.a) g_api.layoutDestroy(p.a);
  if (p.b) g_api.layoutDestroy(p.b);
  if (p.c) g_api.layoutDestroy(p.c);
  p = Plan{};
}

uint32_t alignmentOf(const void* p) {
  const uintptr_t v = reinterpret_cast<uintptr_t>(p);
  uint32_t a = 256;
  while (a > 1 && v % a != 0) a /= 2;
  return a;
}

int ensureHandle() {
  if (!cublasLtLoad(nullptr).loaded) {
    char msg[480];
    std::snprintf(msg, sizeof msg, "cuBLASLt is not loaded: %s", g_status.reason.c_str());
    return atl_fail_message(ATL_CUDA_ERROR, msg);
  }
  if (!g_handle) LT_CHECK(g_api.create(&g_handle), "cublasLtCreate");
  return ATL_OK;
}

/**
 * Column-major cuBLASLt computes C^T[N,M] = op(B)^T · op(A)^T, which is row-major C[M,N] =
 * op(A)·op(B) in the same memory: B's buffer is cuBLASLt's first operand, A's the second, and the
 * bias (length N = rows of C^T) is what CUBLASLT_EPILOGUE_BIAS expects. No ORDER_ROW layouts, which
 * many cuBLASLt kernels do not support.
 */
int matmul(cudaStream_t stream, int64_t M, int64_t N, int64_t K, const void* a, bool transA, const void* b, bool transB, float* c,
           const float* bias, bool relu, cudaDataType inType, int computeType, void* workspace, size_t workspaceBytes) {
  if (int rc = ensureHandle()) return rc;
  const uint32_t epilogue = bias ? (relu ? CUBLASLT_EPILOGUE_RELU_BIAS : CUBLASLT_EPILOGUE_BIAS) : (relu ? CUBLASLT_EPILOGUE_RELU : CUBLASLT_EPILOGUE_DEFAULT);
  const uint32_t alignA = alignmentOf(b), alignB = alignmentOf(a), alignC = alignmentOf(c);
  const PlanKey key{M, N, K, transA, transB, epilogue, static_cast<int>(inType), computeType, workspaceBytes, alignA, alignB, alignC};
  auto it = g_plans.find(key);
  if (it == g_plans.end()) {
    if (g_plans.size() >= kMaxPlans) {
      for (auto& kv : g_plans) destroyPlan(kv.second);
      g_plans.clear();
    }
    Plan p;
    auto fail = [&](int line, cublasStatus_t s, const char* what) {
      destroyPlan(p);
      return failStatus(line, s, what);
    };
    cublasStatus_t s = g_api.descCreate(&p.desc, computeType, CUDA_R_32F);
    if (s) return fail(__LINE__, s, "cublasLtMatmulDescCreate");
    const int32_t opA = transB ? CUBLAS_OP_T : CUBLAS_OP_N, opB = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
    const int32_t biasType = CUDA_R_32F;
    if ((s = g_api.descSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, &opA, sizeof opA)) ||
        (s = g_api.descSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSB, &opB, sizeof opB)) ||
        (s = g_api.descSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue)) ||
        (bias && (s = g_api.descSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &biasType, sizeof biasType))) ||
        (bias && (s = g_api.descSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof bias))))
      return fail(__LINE__, s, "cublasLtMatmulDescSetAttribute");
    // Stored shapes (before op): B row-major [K,N] is column-major [N,K]; A row-major [M,K] is [K,M].
    if ((s = g_api.layoutCreate(&p.a, inType, transB ? K : N, transB ? N : K, transB ? K : N)) ||
        (s = g_api.layoutCreate(&p.b, inType, transA ? M : K, transA ? K : M, transA ? M : K)) ||
        (s = g_api.layoutCreate(&p.c, CUDA_R_32F, N, M, N)))
      return fail(__LINE__, s, "cublasLtMatrixLayoutCreate");
    cublasLtMatmulPreference_t pref = nullptr;
    if ((s = g_api.prefCreate(&pref))) return fail(__LINE__, s, "cublasLtMatmulPreferenceCreate");
    const uint64_t ws = workspaceBytes;
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    if (!(s = g_api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws)) &&
        !(s = g_api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &alignA, sizeof alignA)) &&
        !(s = g_api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &alignB, sizeof alignB)) &&
        !(s = g_api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &alignC, sizeof alignC)) &&
        !(s = g_api.prefSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &alignC, sizeof alignC)))
      s = g_api.heuristic(g_handle, p.desc, p.a, p.b, p.c, p.c, pref, 1, &result, &found);
    g_api.prefDestroy(pref);
    if (s) return fail(__LINE__, s, "cublasLtMatmulAlgoGetHeuristic");
    if (found < 1) {
      destroyPlan(p);
      char msg[200];
      std::snprintf(msg, sizeof msg, "cuBLASLt has no algorithm for M=%lld N=%lld K=%lld with %zu workspace bytes", static_cast<long long>(M),
                    static_cast<long long>(N), static_cast<long long>(K), workspaceBytes);
      return atl_fail(__FILE__, __LINE__, msg);
    }
    p.algo = result.algo;
    it = g_plans.emplace(key, p).first;
  } else if (bias) {
    LT_CHECK(g_api.descSetAttribute(it->second.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof bias), "cublasLtMatmulDescSetAttribute");
  }
  const float alpha = 1.0f, beta = 0.0f;
  const Plan& p = it->second;
  LT_CHECK(g_api.matmul(g_handle, p.desc, &alpha, b, p.a, a, p.b, &beta, c, p.c, c, p.c, &p.algo, workspace, workspaceBytes, stream),
           "cublasLtMatmul");
  return ATL_OK;
}

}  // namespace

CublasLtStatus cublasLtLoad(const char* explicitPath) {
  std::lock_guard<std::mutex> lock(g_loadLock);
  if (g_status.loaded) return g_status;
  std::string tried;
  bool ok = false;
  if (explicitPath && *explicitPath) ok = tryLocation(explicitPath, &tried);
  const char* env = std::getenv("ATELIER_CUBLASLT_PATH");
  if (!ok && env && *env) ok = tryLocation(env, &tried);
  for (const char* name : kNames)
    if (!ok) ok = tryOpen(name, &tried);
  if (!ok) g_status = {false, "", "cuBLASLt not found; tried:" + tried + "\n(set ATELIER_CUBLASLT_PATH to libcublasLt.so.13 or its folder)", 0};
  return g_status;
}

int cublasLtGemm(cudaStream_t stream, int64_t M, int64_t N, int64_t K, const float* a, bool transA, const float* b, bool transB, float* c,
                 const float* bias, int act, int precision, void* workspace, size_t workspaceBytes, void* scratch) {
  if (M == 0 || N == 0) return ATL_OK;
  if (K == 0) {
    // An empty sum: C = act(bias), which cuBLASLt does not do for K = 0.
    cudaError_t e = cudaMemsetAsync(c, 0, static_cast<size_t>(M * N) * sizeof(float), stream);
    if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "gemm K=0");
    return bias || act ? atl_bias_act(stream, c, bias, M, N, act) : ATL_OK;
  }
  const bool relu = act == 1;
  int rc;
  if (precision == 1) {
    if (!scratch) return atl_fail(__FILE__, __LINE__, "gemm: bf16 precision needs a scratch buffer of 2*(M*K + K*N) bytes");
    uint16_t* a16 = static_cast<uint16_t*>(scratch);
    // B's copy starts 256-byte aligned when the scratch allocation has room, so cuBLASLt may pick its fastest kernels.
    const size_t aBytes = static_cast<size_t>(M * K) * 2, aligned = (aBytes + 255) & ~size_t{255};
    const size_t bOffset = deviceRangeKnown(scratch, aligned + static_cast<size_t>(K * N) * 2) ? aligned : aBytes;
    uint16_t* b16 = reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(scratch) + bOffset);
    if ((rc = atl_f32_to_bf16(stream, a, a16, M * K)) || (rc = atl_f32_to_bf16(stream, b, b16, K * N))) return rc;
    rc = matmul(stream, M, N, K, a16, transA, b16, transB, c, bias, relu, CUDA_R_16BF, CUBLAS_COMPUTE_32F, workspace, workspaceBytes);
  } else {
    rc = matmul(stream, M, N, K, a, transA, b, transB, c, bias, relu, CUDA_R_32F, precision == 2 ? CUBLAS_COMPUTE_32F : CUBLAS_COMPUTE_32F_FAST_TF32,
                workspace, workspaceBytes);
  }
  if (rc) return rc;
  // Sigmoid and tanh have no cuBLASLt epilogue: the bias went in with the GEMM, the activation runs after.
  return act >= 2 ? atl_bias_act(stream, c, nullptr, M, N, act) : ATL_OK;
}

int cublasLtGemmBf16(cudaStream_t stream, int64_t M, int64_t N, int64_t K, const uint16_t* a, const uint16_t* b, float* c, void* workspace,
                     size_t workspaceBytes) {
  if (M == 0 || N == 0) return ATL_OK;
  if (K == 0) {
    cudaError_t e = cudaMemsetAsync(c, 0, static_cast<size_t>(M * N) * sizeof(float), stream);
    return e == cudaSuccess ? ATL_OK : atl_fail_cuda(__FILE__, __LINE__, e, "gemmBf16 K=0");
  }
  return matmul(stream, M, N, K, a, false, b, false, c, nullptr, false, CUDA_R_16BF, CUBLAS_COMPUTE_32F, workspace, workspaceBytes);
}

void cublasLtThreadTeardown() {
  for (auto& kv : g_plans) destroyPlan(kv.second);
  g_plans.clear();
  if (g_handle) g_api.destroy(g_handle);
  g_handle = nullptr;
}

}  // namespace atelier
