// GPU utilisation through NVML (libnvidia-ml, dlopen'd): job metrics, absent without a driver.
#pragma once

namespace atelier {

/** Utilisation % of the GPU and its memory controller over the last sample period; false without
 *  NVML (no driver, or the device cannot be found). `device` is the CUDA device index. */
bool nvmlUtilization(int device, unsigned* gpu, unsigned* memory);

}  // namespace atelier
