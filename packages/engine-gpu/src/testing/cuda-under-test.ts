// Test support: make 'cuda' the engine's active backend for the GPU test files, on the real addon
// when this machine has a device, else on the HOST EMULATOR of the addon (a fake: no GPU involved;
// it tests dispatch, storage and fallbacks, never device numerics or speed). The choice is logged.
//   ATELIER_ENGINE_GPU_ADDON=emulator    always the emulator
//   ATELIER_GPU_TESTS_REQUIRE=device     (gpu:check on the GPU machine) no device is a failure, never the emulator
import { registerBackend } from '@atelier/engine';
import { activeGpu, createGpuBackend, useGpu, gpuStatus, type GpuAddon, type GpuPrecision, type UseGpuOptions } from '../index.js';

export interface CudaUnderTest {
  /** True on the host emulator. */
  emulated: boolean;
  /** Device name, for test titles and logs. */
  device: string;
  precision: GpuPrecision;
}

let under: boolean | null = null;

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
  under = status.emulated;
  if (require === 'device' && status.emulated) throw new Error('ATELIER_GPU_TESTS_REQUIRE=device but the addon is the host emulator');
  // The first useGpu of a process fixes the precision; report the one in force.
  return { emulated: status.emulated, device: res.device.name, precision: activeGpu()!.precision };
}

/**
 * Register another 'cuda' backend on the same device with its own precision and executor (the
 * process's 'cuda' backend keeps the options of its first useGpu): TF32 next to fp32, eager next to
 * CUDA Graphs. On the emulator it is a second emulated device.
 */
export async function registerCudaVariant(name: string, opts: { precision: GpuPrecision; cudaGraphs: boolean }): Promise<void> {
  if (under === null) throw new Error('registerCudaVariant: call useCudaForTests first');
  const addon = await addonUnderTest();
  const { createExecutor } = await import('../step-graphs.js');
  const backend = createGpuBackend(addon, createExecutor(addon, { cudaGraphs: opts.cudaGraphs }), { precision: opts.precision });
  registerBackend(name, () => backend, -1);
}

/**
 * The addon itself, initialised on the device under test, for checks below the backend (dropout):
 * the compiled module (require caches it: the same instance 'cuda' uses) or a fresh emulator.
 */
export async function addonUnderTest(): Promise<GpuAddon> {
  if (under === null) throw new Error('addonUnderTest: call useCudaForTests first');
  let addon: GpuAddon;
  if (under) {
    const { createHostEmulator } = await import('./host-emulator.js');
    addon = createHostEmulator();
  } else {
    const { loadAddon } = await import('../addon-loader.js');
    const res = loadAddon(process.env);
    if (!res.ok) throw new Error(res.reason);
    addon = res.addon;
  }
  addon.init(activeGpu()!.device.index);
  return addon;
}
