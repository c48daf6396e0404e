// Failure reporting shared by the launchers and the runtime: one message per thread (the last
// failure), and the device error word the kernels write data-dependent errors to.
#include <cstdio>
#include <cstring>

#include "kernels.h"
#include "runtime.h"

namespace {

thread_local char g_message[512] = "";

// "…/packages/engine-gpu/native/kernels/x.cu" → "kernels/x.cu": the message stays short and the same on every machine.
const char* shortFile(const char* file) {
  const char* native = std::strstr(file, "native/");
  return native ? native + 7 : file;
}

thread_local int32_t* g_word = nullptr;       // device int32[4], one per thread like the stream
thread_local int32_t* g_wordHost = nullptr;   // pinned mirror for the copy back

}  // namespace

extern "C" {

const char* atl_last_error() { return g_message; }

int atl_fail(const char* file, int line, const char* what) {
  std::snprintf(g_message, sizeof g_message, "%s:%d: %s", shortFile(file), line, what);
  return ATL_BAD_ARGS;
}

int atl_fail_message(int status, const char* message) {
  std::snprintf(g_message, sizeof g_message, "%s", message);
  return status;
}

int atl_fail_cuda(const char* file, int line, cudaError_t err, const char* what) {
  cudaGetLastError();  // a non-sticky error must not resurface at the next launch check
  std::snprintf(g_message, sizeof g_message, "%s:%d: %s: %s (%s)", shortFile(file), line, cudaGetErrorName(err), cudaGetErrorString(err),
                what ? what : "");
  return ATL_CUDA_ERROR;
}

int atl_device_errors_init() {
  if (g_word) return ATL_OK;
  int32_t* word = nullptr;
  cudaError_t e = cudaMalloc(&word, 4 * sizeof(int32_t));
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "device error word");
  e = cudaMemset(word, 0, 4 * sizeof(int32_t));
  if (e == cudaSuccess) e = cudaHostAlloc(&g_wordHost, 4 * sizeof(int32_t), cudaHostAllocDefault);
  if (e != cudaSuccess) {
    cudaFree(word);
    return atl_fail_cuda(__FILE__, __LINE__, e, "device error word");
  }
  g_word = word;
  return ATL_OK;
}

int atl_device_errors_take(cudaStream_t stream, int32_t* out) {
  if (!g_word) return atl_fail(__FILE__, __LINE__, "device error word not initialised (call init first)");
  cudaError_t e = cudaMemcpyAsync(g_wordHost, g_word, 4 * sizeof(int32_t), cudaMemcpyDeviceToHost, stream);
  if (e == cudaSuccess) e = cudaStreamSynchronize(stream);
  if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "reading the device error word");
  std::memcpy(out, g_wordHost, 4 * sizeof(int32_t));
  if (out[0] != ATL_DEV_OK) {
    e = cudaMemsetAsync(g_word, 0, 4 * sizeof(int32_t), stream);
    if (e != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, e, "clearing the device error word");
  }
  return ATL_OK;
}

int32_t* atl_device_error_word() { return g_word; }

void atl_device_errors_release() {
  if (g_word) cudaFree(g_word);
  if (g_wordHost) cudaFreeHost(g_wordHost);
  g_word = nullptr;
  g_wordHost = nullptr;
}

}  // extern "C"
