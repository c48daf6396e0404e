// @atelier/engine-gpu: the engine's 'cuda' backend. Importing this module never throws and never
// changes the engine's backend: `useGpu()` loads the addon, initialises the device and cuBLASLt,
// and only then registers 'cuda' and makes it active. Without the addon (not compiled with CUDA,
// no driver, no device) everything answers ok:false with the reason and the engine stays on CPU.
//   ATELIER_ENGINE_GPU_ADDON=emulator  the host emulator of the addon (tests; no GPU involved)
//   ATELIER_GPU_DEVICE, ATELIER_GPU_MEMORY_LIMIT_MB, ATELIER_GPU_PRECISION, ATELIER_GPU_CUDA_GRAPHS,
//   ATELIER_CUBLASLT_PATH: see gpuConfigFromEnv.
import { registerBackend, setBackend } from '@atelier/engine';
import { loadAddon } from './addon-loader.js';
import { createGpuBackend, type GpuPrecision } from './gpu-backend.js';
import type { CublasLtStatus, GpuAddon, GpuDeviceInfo } from './gpu-addon.js';
import { createExecutor } from './step-graphs.js';
import type { AllocatorStats, DeviceAllocator, ExecutorStats, StepExecutor } from './step-executor.js';

export const GPU_BACKEND_NAME = 'cuda';

export interface GpuStatus {
  /** The addon was built with CUDA and loaded. */
  compiled: boolean;
  /** The addon is the host emulator (ATELIER_ENGINE_GPU_ADDON=emulator): no GPU is involved. */
  emulated: boolean;
  addonPath: string | null;
  /** Why there is no usable GPU, or null. */
  reason: string | null;
  devices: GpuDeviceInfo[];
  driverVersion: number | null;
  runtimeVersion: number | null;
}

export interface UseGpuOptions {
  device?: number;
  memoryLimitBytes?: number | null;
  precision?: GpuPrecision;
  cudaGraphs?: boolean;
  cublasLtPath?: string;
}

export type UseGpuResult = { ok: true; device: GpuDeviceInfo; cublasLt: CublasLtStatus } | { ok: false; reason: string };

export interface ActiveGpu {
  device: GpuDeviceInfo;
  precision: GpuPrecision;
  memory: AllocatorStats;
  executor: ExecutorStats;
  utilization: { gpu: number; memory: number } | null;
}

/** The executor with its allocator's stats (step-graphs.ts exposes the allocator, or allocatorStats()). */
type Executor = StepExecutor & { allocatorStats?(): AllocatorStats; readonly allocator?: DeviceAllocator };
type Loaded = { addon: GpuAddon; path: string | null; emulated: boolean };

interface Active {
  addon: GpuAddon;
  executor: Executor;
  device: GpuDeviceInfo;
  precision: GpuPrecision;
}

// One load per addon setting (ATELIER_ENGINE_GPU_ADDON), so a caller can ask about the emulator and the real addon.
const loads = new Map<string, Promise<{ loaded: Loaded | null; status: GpuStatus }>>();
let active: Active | null = null;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function loadOnce(env: NodeJS.ProcessEnv): Promise<{ loaded: Loaded | null; status: GpuStatus }> {
  const none = (reason: string, compiled = false, emulated = false, addonPath: string | null = null): { loaded: null; status: GpuStatus } =>
    ({ loaded: null, status: { compiled, emulated, addonPath, reason, devices: [], driverVersion: null, runtimeVersion: null } });
  let loaded: Loaded;
  try {
    if (env.ATELIER_ENGINE_GPU_ADDON?.trim() === 'emulator') {
      // The host emulator stands in for the addon only when asked (tests); it is not a GPU.
      const mod = (await import('./testing/host-emulator.js')) as { createHostEmulator(): GpuAddon };
      loaded = { addon: mod.createHostEmulator(), path: null, emulated: true };
    } else {
      const res = loadAddon(env);
      if (!res.ok) return none(res.reason);
      loaded = { addon: res.addon, path: res.path, emulated: false };
    }
  } catch (e) {
    return none(`GPU addon failed to load: ${errorText(e)}`);
  }
  try {
    const probe = loaded.addon.probe();
    if (!probe.ok) return { loaded, status: { ...none(probe.reason, true, loaded.emulated, loaded.path).status } };
    const status: GpuStatus = {
      compiled: true, emulated: loaded.emulated, addonPath: loaded.path, reason: probe.devices.length === 0 ? 'no CUDA device' : null,
      devices: probe.devices, driverVersion: probe.driverVersion, runtimeVersion: probe.runtimeVersion,
    };
    return { loaded, status };
  } catch (e) {
    return { loaded, status: none(`GPU probe failed: ${errorText(e)}`, true, loaded.emulated, loaded.path).status };
  }
}

function load(env: NodeJS.ProcessEnv): Promise<{ loaded: Loaded | null; status: GpuStatus }> {
  const key = env.ATELIER_ENGINE_GPU_ADDON?.trim() ?? '';
  let p = loads.get(key);
  if (!p) loads.set(key, (p = loadOnce(env)));
  return p;
}

/** What this process can use: the addon, its devices, or why there are none. Cached; never throws. */
export async function gpuStatus(env: NodeJS.ProcessEnv = process.env): Promise<GpuStatus> {
  const { status } = await load(env);
  return { ...status, devices: status.devices.map((d) => ({ ...d })) };
}

/**
 * Initialise the GPU and make 'cuda' the engine's active backend. ok:false (with the reason, and the
 * engine's backend unchanged) when there is no addon, no device, or no cuBLASLt (MatMul cannot run
 * without it). Calling it again after success re-activates the same backend, with the options of the
 * first successful call (precision, memory limit, graphs: one executor per process).
 */
export async function useGpu(opts: UseGpuOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<UseGpuResult> {
  const { loaded, status } = await load(env);
  if (!loaded || status.reason) return { ok: false, reason: status.reason ?? 'GPU addon not loaded' };
  const index = opts.device ?? 0;
  const device = status.devices.find((d) => d.index === index);
  if (!device) return { ok: false, reason: `no CUDA device ${index} (devices: ${status.devices.map((d) => d.index).join(', ')})` };
  const precision = opts.precision ?? 'tf32';
  if (!['tf32', 'bf16', 'fp32'].includes(precision)) return { ok: false, reason: `precision must be tf32, bf16 or fp32, got '${precision}'` };
  if (active) {
    if (active.device.index !== index) return { ok: false, reason: `the GPU backend is already initialised on device ${active.device.index}` };
    setBackend(GPU_BACKEND_NAME);
    return { ok: true, device: { ...device }, cublasLt: loaded.addon.loadCublasLt(opts.cublasLtPath) };
  }
  const { addon } = loaded;
  let cublasLt: CublasLtStatus;
  let executor: Executor;
  try {
    addon.init(index);
    cublasLt = addon.loadCublasLt(opts.cublasLtPath);
    if (!cublasLt.loaded) return { ok: false, reason: `cuBLASLt not loaded, so MatMul cannot run on the GPU: ${cublasLt.reason ?? 'unknown reason'}` };
    executor = createExecutor(addon, { memoryLimitBytes: opts.memoryLimitBytes ?? null, cudaGraphs: opts.cudaGraphs ?? true });
  } catch (e) {
    return { ok: false, reason: `GPU initialisation failed: ${errorText(e)}` };
  }
  const backend = createGpuBackend(addon, executor, { precision });
  registerBackend(GPU_BACKEND_NAME, () => backend, 0);
  setBackend(GPU_BACKEND_NAME);
  active = { addon, executor, device, precision };
  return { ok: true, device: { ...device }, cublasLt };
}

export interface GpuEnvConfig {
  device: number;
  memoryLimitBytes: number | null;
  precision: GpuPrecision;
  cudaGraphs: boolean;
  cublasLtPath?: string;
}

/** useGpu options from the environment; throws an Error naming the variable on a bad value. */
export function gpuConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GpuEnvConfig {
  const get = (k: string): string | undefined => {
    const v = env[k]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const limit = get('ATELIER_GPU_MEMORY_LIMIT_MB');
  let memoryLimitBytes: number | null = null;
  if (limit !== undefined) {
    const mb = Number(limit);
    if (!Number.isInteger(mb) || mb <= 0) throw new Error(`ATELIER_GPU_MEMORY_LIMIT_MB=${limit} is not a positive integer (MiB)`);
    memoryLimitBytes = mb * 1024 * 1024;
  }
  const precision = (get('ATELIER_GPU_PRECISION') ?? 'tf32').toLowerCase();
  if (precision !== 'tf32' && precision !== 'bf16' && precision !== 'fp32') {
    throw new Error(`ATELIER_GPU_PRECISION=${env.ATELIER_GPU_PRECISION} must be tf32, bf16 or fp32`);
  }
  const graphs = get('ATELIER_GPU_CUDA_GRAPHS') ?? '1';
  if (graphs !== '0' && graphs !== '1') throw new Error(`ATELIER_GPU_CUDA_GRAPHS=${graphs} must be 1 or 0`);
  const dev = get('ATELIER_GPU_DEVICE') ?? '0';
  const device = Number(dev);
  if (!Number.isInteger(device) || device < 0) throw new Error(`ATELIER_GPU_DEVICE=${dev} is not a device index (an integer ≥ 0)`);
  const cublasLtPath = get('ATELIER_CUBLASLT_PATH');
  return { device, memoryLimitBytes, precision, cudaGraphs: graphs === '1', ...(cublasLtPath ? { cublasLtPath } : {}) };
}

/** The initialised GPU (device, precision, memory and executor stats, utilisation), or null before useGpu succeeds. */
export function activeGpu(): ActiveGpu | null {
  if (!active) return null;
  let utilization: { gpu: number; memory: number } | null = null;
  try {
    utilization = active.addon.utilization();
  } catch {
    utilization = null;
  }
  return { device: { ...active.device }, precision: active.precision, memory: memoryStats(active.executor), executor: active.executor.stats(), utilization };
}

function memoryStats(ex: Executor): AllocatorStats {
  if (ex.allocatorStats) return ex.allocatorStats();
  if (ex.allocator) return ex.allocator.stats();
  throw new Error('internal: the GPU executor exposes no allocator stats');
}

/** Start a new peak-memory window (per job / per epoch). */
export function resetGpuPeak(): void {
  active?.executor.allocator?.resetPeak();
}

export { asReferenceError, createGpuBackend, deviceErrorMessage, GPU_KERNELS, type GpuBackend, type GpuBackendOptions, type GpuBackendStats, type GpuPrecision } from './gpu-backend.js';
export type { GpuAddon, GpuDeviceInfo, GpuProbe, CublasLtStatus, GemmPrecision } from './gpu-addon.js';
export type { AllocatorStats, DeviceAllocator, DeviceBlock, ExecutorStats, LaunchSignature, StepExecutor } from './step-executor.js';
