// The CUDA runtime side of the addon: device discovery, one non-blocking stream, device and pinned
// memory, copies, events and CUDA Graph capture. Functions return ATL_OK or a failure whose message
// is atl_last_error() (kernels.h); the bindings in addon.cc turn that into a JS Error.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernels.h"

extern "C" {
/** Sets the thread's last error to `message` as given (no file:line prefix) and returns `status`. */
int atl_fail_message(int status, const char* message);
}

namespace atelier {

struct DeviceInfo {
  int index;
  std::string name;
  size_t totalMemory;
  int major, minor;
  int multiProcessors;
};

struct ProbeResult {
  bool ok;
  std::string reason;  // when !ok
  std::vector<DeviceInfo> devices;
  int driverVersion, runtimeVersion;
};

/** Never fails: the devices, or why there are none. */
ProbeResult probeDevices();

/** cudaSetDevice, the stream and the device error word; again for the same device is a no-op. */
int runtimeInit(int device);
bool runtimeReady();
int runtimeDevice();
cudaStream_t runtimeStream();

int deviceMalloc(size_t bytes, void** out);
int deviceFree(void* ptr);
/** True when [ptr, ptr + bytes) lies inside one live allocation of deviceMalloc (or pinnedAlloc). */
bool deviceRangeKnown(const void* ptr, size_t bytes);
bool pinnedRangeKnown(const void* ptr, size_t bytes);
int memGetInfo(size_t* freeBytes, size_t* totalBytes);

int pinnedAlloc(size_t bytes, void** out);
/** Pins memory allocated elsewhere (cudaHostRegister); pinnedFree unregisters it instead of freeing. */
int pinnedRegister(void* ptr, size_t bytes);
int pinnedFree(void* ptr);
/** Frees everything this thread allocated (device blocks, pinned memory, the error word, cuBLASLt
 *  plans and handle) and destroys its stream: the addon's environment cleanup hook calls it when
 *  the Node thread that loaded the addon exits, so a finished job leaves nothing on the GPU. */
void runtimeTeardown();

/** cudaMemcpyAsync on the stream (any direction: UVA). */
int copyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, const char* what);
int memsetZero(void* ptr, size_t bytes);
/** Waits for the stream, then reads and clears the device error word into errs[4]. */
int synchronizeAndTakeErrors(int32_t* errs);
/** "label 7 at row 12 is outside [0, 3)" for a device error record (code ≠ 0). */
std::string deviceErrorMessage(const int32_t* errs);

int eventCreate(cudaEvent_t* out);
int eventRecord(cudaEvent_t ev);
int eventQuery(cudaEvent_t ev, bool* done);
int eventSynchronize(cudaEvent_t ev);
int eventDestroy(cudaEvent_t ev);

int captureBegin();
/** Ends the capture and instantiates it; on failure no capture is left open. */
int captureEnd(cudaGraphExec_t* out);
int captureActive(bool* active);
int graphLaunch(cudaGraphExec_t exec);
int graphDestroy(cudaGraphExec_t exec);

}  // namespace atelier
