// @atelier/engine-cpu: importing this module registers the native CPU backend with the engine
// (priority 2, above the TS backend's 1, so it becomes the default) when the addon loads. When it
// does not, the engine keeps its TypeScript backend, the reason is logged once, and
// `backendStatus()` (engine) / `nativeCpuStatus()` report it.
//   ATELIER_ENGINE_CPU_THREADS  size of the native thread pool (default 1; the orchestrator sets it
//                               from the worker's core budget so two jobs never oversubscribe)
import { noteBackendFallback, registerBackend } from '@atelier/engine';
import { loadAddon } from './addon-loader.js';
import { createNativeCpuBackend, NATIVE_KERNELS } from './native-backend.js';
import type { NativeAddon } from './native-addon.js';

export const NATIVE_BACKEND_NAME = 'native-cpu';

export interface NativeCpuStatus {
  loaded: boolean;
  /** Why the addon is not in use (null when loaded). */
  reason: string | null;
  /** GEMM micro-kernel chosen from the CPU's features: avx512 | avx2 | portable. */
  isa: string | null;
  threads: number;
  kernels: readonly string[];
}

const load = loadAddon();
let addon: NativeAddon | null = null;
let status: NativeCpuStatus;

function threadSetting(): number | string {
  const raw = process.env.ATELIER_ENGINE_CPU_THREADS;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 256 ? n : `ATELIER_ENGINE_CPU_THREADS=${raw} is not an integer in [1, 256]`;
}

if (load.ok) {
  addon = load.addon;
  const threads = threadSetting();
  if (typeof threads === 'string') throw new Error(threads);
  addon.setThreads(threads);
  const info = addon.info();
  status = { loaded: true, reason: null, isa: info.isa, threads: info.threads, kernels: NATIVE_KERNELS };
  registerBackend(NATIVE_BACKEND_NAME, () => createNativeCpuBackend(load.addon), 2);
  noteBackendFallback(null);
} else {
  status = { loaded: false, reason: load.reason, isa: null, threads: 1, kernels: [] };
  noteBackendFallback(`${NATIVE_BACKEND_NAME} unavailable: ${load.reason}`);
  console.warn(`[engine-cpu] using the TypeScript backend: ${load.reason}`);
}

export function nativeCpuStatus(): NativeCpuStatus {
  return { ...status };
}

/** Resize the native thread pool (the caller's core budget); a no-op without the addon. */
export function setNativeCpuThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError(`native CPU threads must be an integer in [1, 256], got ${n}`);
  if (!addon) return 1;
  status.threads = addon.setThreads(n);
  return status.threads;
}

/** The raw addon, for benchmarks and tests (null when it did not load). */
export function nativeAddon(): NativeAddon | null {
  return addon;
}

export { createNativeCpuBackend, NATIVE_KERNELS } from './native-backend.js';
export { loadAddon, defaultAddonPath, type AddonLoad } from './addon-loader.js';
export type { NativeAddon } from './native-addon.js';
