// CUDA runtime calls behind the addon's memory, stream, event and graph bindings. cudart is linked
// statically; without a driver every call here fails with a message instead of crashing.
#include "runtime.h"

#include "cublaslt.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <map>

#define RT_CHECK(call, what)                                                              \
  do {                                                                                    \
    cudaError_t rt_e_ = (call);                                                           \
    if (rt_e_ != cudaSuccess) return atl_fail_cuda(__FILE__, __LINE__, rt_e_, what);      \
  } while (0)

namespace atelier {
namespace {

// Per thread: every Node thread that loads the addon (the orchestrator runs each job in a worker
// thread) drives its own device, stream and allocations, and gives them back when it exits
// (runtimeTeardown, from the addon's environment cleanup hook). Nothing is shared between jobs.
thread_local int g_device = -1;
thread_local cudaStream_t g_stream = nullptr;
// Live allocations (start → bytes): copies check their ranges so a bad pointer is a TypeError,
// not an illegal address that poisons the whole context.
thread_local std::map<uintptr_t, size_t> g_deviceBlocks;
thread_local std::map<uintptr_t, size_t> g_pinnedBlocks;
thread_local std::map<uintptr_t, bool> g_pinnedRegistered;

bool rangeIn(const std::map<uintptr_t, size_t>& blocks, const void* ptr, size_t bytes) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  auto it = blocks.upper_bound(p);
  if (it == blocks.begin()) return false;
  --it;
  return p - it->first <= it->second && bytes <= it->second - (p - it->first);
}

int notReady() { return atl_fail_message(ATL_BAD_ARGS, "engine-gpu: init(device) was not called"); }

bool driverLibraryPresent() {
  void* h = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_NOLOAD);
  if (!h) h = dlopen("libcuda.so.1", RTLD_LAZY);
  if (h) dlclose(h);
  return h != nullptr;
}

std::string cudaVersionText(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }

}  // namespace

ProbeResult probeDevices() {
  ProbeResult r{false, "", {}, 0, 0};
  cudaRuntimeGetVersion(&r.runtimeVersion);
  cudaDriverGetVersion(&r.driverVersion);
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  cudaGetLastError();
  if (e == cudaErrorInsufficientDriver || (e != cudaSuccess && r.driverVersion == 0)) {
    if (!driverLibraryPresent()) {
      r.reason = "no CUDA driver (libcuda.so.1 not found)";
    } else if (r.driverVersion > 0 && r.driverVersion < r.runtimeVersion) {
      r.reason = "CUDA driver too old: it supports CUDA " + cudaVersionText(r.driverVersion) + ", the addon was built with CUDA " +
                 cudaVersionText(r.runtimeVersion);
    } else {
      r.reason = std::string("no usable CUDA driver (") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e) + ")";
    }
    return r;
  }
  if (e == cudaErrorNoDevice || (e == cudaSuccess && count == 0)) {
    r.reason = "no CUDA-capable device (the driver found none; check CUDA_VISIBLE_DEVICES)";
    return r;
  }
  if (e != cudaSuccess) {
    r.reason = std::string("cudaGetDeviceCount failed: ") + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
    return r;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p;
    e = cudaGetDeviceProperties(&p, i);
    if (e != cudaSuccess) {
      cudaGetLastError();
      r.reason = "cudaGetDeviceProperties(" + std::to_string(i) + ") failed: " + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
      r.devices.clear();
      return r;
    }
    r.devices.push_back({i, p.name, p.totalGlobalMem, p.major, p.minor, p.multiProcessorCount});
  }
  r.ok = true;
  return r;
}

int runtimeInit(int device) {
  if (g_stream) {
    if (device == g_device) return ATL_OK;
    char msg[160];
    std::snprintf(msg, sizeof msg, "engine-gpu: this thread already drives device %d; one thread drives one device (asked for %d)", g_device,
                  device);
    return atl_fail_message(ATL_BAD_ARGS, msg);
  }
  RT_CHECK(cudaSetDevice(device), "cudaSetDevice");
  cudaStream_t s = nullptr;
  RT_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  if (int rc = atl_device_errors_init()) {
    cudaStreamDestroy(s);
    return rc;
  }
  g_stream = s;
  g_device = device;
  return ATL_OK;
}

bool runtimeReady() { return g_stream != nullptr; }
int runtimeDevice() { return g_device; }
cudaStream_t runtimeStream() { return g_stream; }

int deviceMalloc(size_t bytes, void** out) {
  if (!g_stream) return notReady();
  void* p = nullptr;
  cudaError_t e = cudaMalloc(&p, bytes);
  if (e == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    size_t freeBytes = 0, total = 0;
    cudaMemGetInfo(&freeBytes, &total);
    char msg[256];
    std::snprintf(msg, sizeof msg, "CUDA out of memory: tried to allocate %zu bytes on device %d (%zu of %zu bytes free)", bytes, g_device,
                  freeBytes, total);
    return atl_fail_message(ATL_CUDA_ERROR, msg);
  }
  RT_CHECK(e, "cudaMalloc");
  g_deviceBlocks[reinterpret_cast<uintptr_t>(p)] = bytes;
  *out = p;
  return ATL_OK;
}

int deviceFree(void* ptr) {
  auto it = g_deviceBlocks.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == g_deviceBlocks.end()) return atl_fail_message(ATL_BAD_ARGS, "free: not a pointer returned by malloc (or freed already)");
  RT_CHECK(cudaFree(ptr), "cudaFree");
  g_deviceBlocks.erase(it);
  return ATL_OK;
}

bool deviceRangeKnown(const void* ptr, size_t bytes) { return rangeIn(g_deviceBlocks, ptr, bytes); }
bool pinnedRangeKnown(const void* ptr, size_t bytes) { return rangeIn(g_pinnedBlocks, ptr, bytes); }

int memGetInfo(size_t* freeBytes, size_t* totalBytes) {
  if (!g_stream) return notReady();
  RT_CHECK(cudaMemGetInfo(freeBytes, totalBytes), "cudaMemGetInfo");
  return ATL_OK;
}

int pinnedAlloc(size_t bytes, void** out) {
  if (!g_stream) return notReady();
  void* p = nullptr;
  RT_CHECK(cudaHostAlloc(&p, bytes, cudaHostAllocDefault), "cudaHostAlloc");
  g_pinnedBlocks[reinterpret_cast<uintptr_t>(p)] = bytes;
  *out = p;
  return ATL_OK;
}

int pinnedRegister(void* ptr, size_t bytes) {
  if (!g_stream) return notReady();
  RT_CHECK(cudaHostRegister(ptr, bytes, cudaHostRegisterDefault), "cudaHostRegister");
  g_pinnedBlocks[reinterpret_cast<uintptr_t>(ptr)] = bytes;
  g_pinnedRegistered[reinterpret_cast<uintptr_t>(ptr)] = true;
  return ATL_OK;
}

int pinnedFree(void* ptr) {
  auto it = g_pinnedBlocks.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == g_pinnedBlocks.end()) return atl_fail_message(ATL_BAD_ARGS, "freePinned: not a pointer returned by allocPinned (or freed already)");
  g_pinnedBlocks.erase(it);
  if (g_pinnedRegistered.erase(reinterpret_cast<uintptr_t>(ptr))) {
    RT_CHECK(cudaHostUnregister(ptr), "cudaHostUnregister");
    return ATL_OK;
  }
  RT_CHECK(cudaFreeHost(ptr), "cudaFreeHost");
  return ATL_OK;
}

int copyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, const char* what) {
  if (!g_stream) return notReady();
  if (bytes == 0) return ATL_OK;
  RT_CHECK(cudaMemcpyAsync(dst, src, bytes, kind, g_stream), what);
  return ATL_OK;
}

int memsetZero(void* ptr, size_t bytes) {
  if (!g_stream) return notReady();
  if (bytes == 0) return ATL_OK;
  RT_CHECK(cudaMemsetAsync(ptr, 0, bytes, g_stream), "cudaMemsetAsync");
  return ATL_OK;
}

int synchronizeAndTakeErrors(int32_t* errs) {
  if (!g_stream) return notReady();
  return atl_device_errors_take(g_stream, errs);
}

std::string deviceErrorMessage(const int32_t* e) {
  const char* code = "unknown";
  const char* what = "value";
  const char* where = "index";
  switch (e[0]) {
    case ATL_DEV_LABEL_RANGE: code = "label-range", what = "label", where = "row"; break;
    case ATL_DEV_ID_RANGE: code = "id-range", what = "id", where = "position"; break;
    case ATL_DEV_ROW_RANGE: code = "row-range", what = "row", where = "position"; break;
    default: break;
  }
  char msg[200];
  std::snprintf(msg, sizeof msg, "engine-gpu device error %s (code %d): %s %d at %s %d is outside [0, %d)", code, e[0], what, e[2], where,
                e[1], e[3]);
  return msg;
}

int eventCreate(cudaEvent_t* out) {
  if (!g_stream) return notReady();
  RT_CHECK(cudaEventCreateWithFlags(out, cudaEventDisableTiming), "cudaEventCreateWithFlags");
  return ATL_OK;
}

int eventRecord(cudaEvent_t ev) {
  RT_CHECK(cudaEventRecord(ev, g_stream), "cudaEventRecord");
  return ATL_OK;
}

int eventQuery(cudaEvent_t ev, bool* done) {
  cudaError_t e = cudaEventQuery(ev);
  if (e == cudaErrorNotReady) {
    if (cudaPeekAtLastError() == cudaErrorNotReady) cudaGetLastError();
    *done = false;
    return ATL_OK;
  }
  RT_CHECK(e, "cudaEventQuery");
  *done = true;
  return ATL_OK;
}

int eventSynchronize(cudaEvent_t ev) {
  RT_CHECK(cudaEventSynchronize(ev), "cudaEventSynchronize");
  return ATL_OK;
}

int eventDestroy(cudaEvent_t ev) {
  RT_CHECK(cudaEventDestroy(ev), "cudaEventDestroy");
  return ATL_OK;
}

int captureBegin() {
  if (!g_stream) return notReady();
  // Relaxed, not thread-local: the caching allocator may cudaMalloc while a step is being captured.
  RT_CHECK(cudaStreamBeginCapture(g_stream, cudaStreamCaptureModeRelaxed), "cudaStreamBeginCapture");
  return ATL_OK;
}

int captureEnd(cudaGraphExec_t* out) {
  if (!g_stream) return notReady();
  cudaGraph_t graph = nullptr;
  cudaError_t e = cudaStreamEndCapture(g_stream, &graph);
  if (e != cudaSuccess) {
    // An invalidated capture is ended by this call all the same; only a partial graph may be left to free.
    if (graph) cudaGraphDestroy(graph);
    return atl_fail_cuda(__FILE__, __LINE__, e, "cudaStreamEndCapture: the capture was invalidated");
  }
  cudaGraphExec_t exec = nullptr;
  e = cudaGraphInstantiate(&exec, graph, 0);
  cudaGraphDestroy(graph);
  RT_CHECK(e, "cudaGraphInstantiate");
  *out = exec;
  return ATL_OK;
}

int captureActive(bool* active) {
  if (!g_stream) {
    *active = false;
    return ATL_OK;
  }
  cudaStreamCaptureStatus s = cudaStreamCaptureStatusNone;
  RT_CHECK(cudaStreamIsCapturing(g_stream, &s), "cudaStreamIsCapturing");
  *active = s != cudaStreamCaptureStatusNone;
  return ATL_OK;
}

int graphLaunch(cudaGraphExec_t exec) {
  if (!g_stream) return notReady();
  RT_CHECK(cudaGraphLaunch(exec, g_stream), "cudaGraphLaunch");
  return ATL_OK;
}

int graphDestroy(cudaGraphExec_t exec) {
  RT_CHECK(cudaGraphExecDestroy(exec), "cudaGraphExecDestroy");
  return ATL_OK;
}


void runtimeTeardown() {
  if (!g_stream) return;
  cudaStreamSynchronize(g_stream);
  for (const auto& [ptr, bytes] : g_deviceBlocks) cudaFree(reinterpret_cast<void*>(ptr));
  g_deviceBlocks.clear();
  for (const auto& [ptr, bytes] : g_pinnedBlocks) {
    if (g_pinnedRegistered.count(ptr)) cudaHostUnregister(reinterpret_cast<void*>(ptr));
    else cudaFreeHost(reinterpret_cast<void*>(ptr));
  }
  g_pinnedBlocks.clear();
  g_pinnedRegistered.clear();
  atl_device_errors_release();
  cublasLtThreadTeardown();
  cudaStreamDestroy(g_stream);
  g_stream = nullptr;
  g_device = -1;
  cudaGetLastError();
}

}  // namespace atelier
