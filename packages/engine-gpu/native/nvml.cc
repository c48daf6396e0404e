// NVML resolved at run time: a machine without the driver has no libnvidia-ml, and that is fine.
#include "nvml.h"

#include <cuda_runtime.h>
#include <dlfcn.h>

namespace atelier {
namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDeviceOpaque*;
struct nvmlUtilization_t {
  unsigned int gpu;
  unsigned int memory;
};

struct Nvml {
  bool tried = false;
  bool ok = false;
  nvmlReturn_t (*init)() = nullptr;
  nvmlReturn_t (*byIndex)(unsigned int, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*byPciBusId)(const char*, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*) = nullptr;
  int device = -2;
  nvmlDevice_t handle = nullptr;
};
Nvml g;

bool load() {
  if (g.tried) return g.ok;
  g.tried = true;
  void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return false;
  g.init = reinterpret_cast<nvmlReturn_t (*)()>(dlsym(lib, "nvmlInit_v2"));
  g.byIndex = reinterpret_cast<nvmlReturn_t (*)(unsigned int, nvmlDevice_t*)>(dlsym(lib, "nvmlDeviceGetHandleByIndex_v2"));
  g.byPciBusId = reinterpret_cast<nvmlReturn_t (*)(const char*, nvmlDevice_t*)>(dlsym(lib, "nvmlDeviceGetHandleByPciBusId_v2"));
  g.utilization = reinterpret_cast<nvmlReturn_t (*)(nvmlDevice_t, nvmlUtilization_t*)>(dlsym(lib, "nvmlDeviceGetUtilizationRates"));
  g.ok = g.init && g.byIndex && g.utilization && g.init() == 0;
  return g.ok;
}

}  // namespace

bool nvmlUtilization(int device, unsigned* gpu, unsigned* memory) {
  if (!load()) return false;
  if (g.device != device) {
    // NVML numbers devices by PCI order, CUDA by CUDA_VISIBLE_DEVICES and speed: match by bus id when possible.
    g.handle = nullptr;
    char bus[32];
    if (g.byPciBusId && device >= 0 && cudaDeviceGetPCIBusId(bus, sizeof bus, device) == cudaSuccess) {
      if (g.byPciBusId(bus, &g.handle) != 0) g.handle = nullptr;
    } else {
      cudaGetLastError();
    }
    if (!g.handle && g.byIndex(static_cast<unsigned>(device < 0 ? 0 : device), &g.handle) != 0) g.handle = nullptr;
    g.device = device;
  }
  nvmlUtilization_t u{};
  if (!g.handle || g.utilization(g.handle, &u) != 0) return false;
  *gpu = u.gpu;
  *memory = u.memory;
  return true;
}

}  // namespace atelier
