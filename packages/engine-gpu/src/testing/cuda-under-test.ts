// Test support: make 'cuda' the engine's active backend for the GPU test files, on the real addon
// when this machine has a device, else on the HOST EMULATOR of the addon (a fake: no GPU involved;
// it tests dispatch, storage and fallbacks, never device numerics or speed). The choice is logged.
//   ATELIER_ENGINE_GPU_ADDON=emulator    always the emulator
//   ATELIER_GPU_TESTS_REQUIRE=device     (gpu:check on the GPU machine) no device is a failure, never the emulator
import { activeGpu, useGpu, gpuStatus, type GpuPrecision, type UseGpuOptions } from '../index.js';

export interface CudaUnderTest {
  /** True on the host emulator. */
  emulated: boolean;
  /** Device name, for test titles and logs. */
  device: string;
  precision: GpuPrecision;
}

export async function useCudaForTests(opts: UseGpuOptions = {}): Promise<CudaUnderTest> {
  const require = process.env.ATELIER_GPU_TESTS_REQUIRE;
  let env: NodeJS.ProcessEnv = process.env;
  if (env.ATELIER_ENGINE_GPU_ADDON?.trim() !== 'emulator') {
    const real = await gpuStatus(env);
    if (real.reason) {
      if (require === 'device') throw new Error(`no GPU: ${real.reason}`);
      console.warn(`[engine-gpu tests] no GPU (${real.reason}): running on the host emulator of the addon`);
      env = { ...env, ATELIER_ENGINE_GPU_ADDON: 'emulator' };
    }
  }
  const precision = opts.precision ?? 'fp32';
  const res = await useGpu({ ...opts, precision }, env);
  if (!res.ok) throw new Error(`useGpu failed: ${res.reason}`);
  const status = await gpuStatus(env);
  if (require === 'device' && status.emulated) throw new Error('ATELIER_GPU_TESTS_REQUIRE=device but the addon is the host emulator');
  // The first useGpu of a process fixes the precision; report the one in force.
  return { emulated: status.emulated, device: res.device.name, precision: activeGpu()!.precision };
}
