// The orchestrator's view of @atelier/engine-gpu: the few calls it makes, and a dynamic import so a
// CPU job (or a worker offering no GPUs) never loads the package or its CUDA addon.
export interface GpuDeviceInfo {
  index: number;
  name: string;
  totalMemory: number;
  computeCapability: unknown;
  multiProcessors: number;
}

export interface GpuStatus {
  compiled: boolean;
  emulated: boolean;
  addonPath: string | null;
  reason: string | null;
  devices: GpuDeviceInfo[];
  driverVersion: unknown;
  runtimeVersion: unknown;
}

export interface UseGpuOptions {
  device?: number;
  memoryLimitBytes?: number;
  precision?: 'tf32' | 'bf16' | 'fp32';
  cudaGraphs?: boolean;
  cublasLtPath?: string;
}

export interface ActiveGpu {
  device: number;
  precision: string;
  memory: { peakAllocatedBytes: number; peakReservedBytes: number; allocatedBytes: number; reservedBytes: number; limitBytes: number | null };
  executor: { eagerSteps: number; capturedSteps: number; replayedSteps: number; segments: number; reason: string | null };
  utilization: { gpu: number; memory: number } | null;
}

export interface GpuEngine {
  gpuStatus(env?: NodeJS.ProcessEnv): Promise<GpuStatus>;
  useGpu(opts?: UseGpuOptions): Promise<{ ok: true; device: unknown; cublasLt: unknown } | { ok: false; reason: string }>;
  gpuConfigFromEnv(env: NodeJS.ProcessEnv): UseGpuOptions;
  activeGpu(): ActiveGpu | null;
  resetGpuPeak(): void;
}

/** Load engine-gpu; a package that cannot even be imported is reported like any other reason. */
export async function loadGpuEngine(): Promise<{ ok: true; engine: GpuEngine } | { ok: false; reason: string }> {
  try {
    const engine: GpuEngine = await import('@atelier/engine-gpu');
    return { ok: true, engine };
  } catch (err) {
    return { ok: false, reason: `@atelier/engine-gpu could not be loaded: ${(err as Error)?.message ?? String(err)}` };
  }
}

/** A compute capability as major.minor, whatever shape the probe gives it in. */
export function formatCapability(cc: unknown): string {
  if (typeof cc === 'string') return cc;
  if (typeof cc === 'number') return Number.isInteger(cc) && cc >= 10 ? `${Math.floor(cc / 10)}.${cc % 10}` : String(cc); // 90 → 9.0
  if (cc && typeof cc === 'object' && 'major' in cc && 'minor' in cc) return `${(cc as { major: unknown }).major}.${(cc as { minor: unknown }).minor}`;
  return String(cc);
}
