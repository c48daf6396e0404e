// Inside the training thread: picks the engine backend from the job's device and reports where the run
// trained. 'gpu' makes engine-gpu's CUDA backend the active one on the device the job runner assigned,
// or fails the job naming why (a job that asked for a GPU never trains on CPU behind its back); 'auto'
// tries the same and falls back to the CPU backend with the reason; 'cpu' never loads engine-gpu.
import { backendStatus, setBackend } from '@atelier/engine';
import type { JobPlacement } from '@atelier/contracts';
import { loadGpuEngine, type GpuDeviceInfo, type GpuEngine } from './gpu-engine.js';
import type { ThreadDevice } from './thread-protocol.js';
import type { EpochReport } from './training-core.js';

export class PlacementError extends Error {
  override name = 'PlacementError';
}

type CpuBackend = 'native-cpu' | 'cpu';

interface GpuRun {
  engine: GpuEngine;
  info: GpuDeviceInfo;
  utilization: number[];
}

export class ThreadPlacement {
  private constructor(
    private readonly device: ThreadDevice,
    /** The CPU backend the thread had before (evaluation after training goes back to it). */
    private readonly cpuBackend: CpuBackend,
    private readonly gpu: GpuRun | null,
    private readonly fallbackReason: string | null,
  ) {}

  static async select(device: ThreadDevice, opts: { modelKind: string; log: (message: string) => void }): Promise<ThreadPlacement> {
    const cpuBackend: CpuBackend = backendStatus().name === 'native-cpu' ? 'native-cpu' : 'cpu';
    const onCpu = (reason: string | null) => new ThreadPlacement(device, cpuBackend, null, reason);
    if (device.requested === 'cpu') return onCpu(null);
    const fallback = (reason: string) => {
      if (device.requested === 'gpu') throw new PlacementError(`device gpu: ${reason}`);
      opts.log(`device auto: training on CPU (${cpuBackend}): ${reason}`);
      return onCpu(reason);
    };
    if (opts.modelKind === 'gbdt') {
      // Boosted trees have no GPU kernels in the engine: say so instead of claiming a CUDA run.
      opts.log(`device ${device.requested}: gbdt trains on CPU (${cpuBackend}); boosted trees have no GPU path`);
      return onCpu('gbdt has no GPU path; trained on CPU');
    }
    if (device.gpuIndex === undefined) return fallback(`worker ${device.worker} had no free GPU for this job`);
    const loaded = await loadGpuEngine();
    if (!loaded.ok) return fallback(loaded.reason);
    const { engine } = loaded;
    const status = await engine.gpuStatus(process.env);
    const info = status.devices.find((d) => d.index === device.gpuIndex);
    if (!info) return fallback(`GPU ${device.gpuIndex} is not available: ${status.reason ?? `the probe lists ${status.devices.length} device(s)`}`);
    let used: Awaited<ReturnType<GpuEngine['useGpu']>>;
    try {
      used = await engine.useGpu({ ...engine.gpuConfigFromEnv(process.env), device: device.gpuIndex });
    } catch (err) {
      used = { ok: false, reason: (err as Error)?.message ?? String(err) };
    }
    if (!used.ok) return fallback(`GPU ${device.gpuIndex} (${info.name}) could not be used: ${used.reason}`);
    engine.resetGpuPeak();
    const active = engine.activeGpu();
    opts.log(`engine backend: cuda on GPU ${info.index} (${info.name}, compute ${info.computeCapability}, ${active?.precision ?? 'default'} precision${status.emulated ? ', host emulator of the GPU addon' : ''})`);
    return new ThreadPlacement(device, cpuBackend, { engine, info, utilization: [] }, null);
  }

  /** Per-epoch GPU figures (and one utilisation sample for the run's mean); undefined on CPU. */
  sampleEpoch(): EpochReport['gpu'] | undefined {
    const active = this.gpu?.engine.activeGpu();
    if (!this.gpu || !active) return undefined;
    const util = active.utilization?.gpu;
    if (typeof util === 'number' && Number.isFinite(util)) this.gpu.utilization.push(util);
    return {
      memoryAllocatedBytes: active.memory.allocatedBytes,
      memoryReservedBytes: active.memory.reservedBytes,
      memoryPeakBytes: active.memory.peakReservedBytes,
      ...(typeof util === 'number' && Number.isFinite(util) && { utilizationPct: util }),
    };
  }

  /** The GPU memory this run may use (the memory limit when one is set, else the device's), undefined on CPU. */
  gpuMemoryBytes(): number | undefined {
    const active = this.gpu?.engine.activeGpu();
    if (!this.gpu || !active) return undefined;
    return active.memory.limitBytes ?? active.device.totalMemory;
  }

  /** Where the run trained, with the GPU's figures so far. */
  placement(): JobPlacement {
    const base = { worker: this.device.worker, ...(this.fallbackReason && { fallbackReason: this.fallbackReason }) };
    const active = this.gpu?.engine.activeGpu();
    if (!this.gpu || !active) return { device: 'cpu', backend: this.cpuBackend, ...base };
    const { info, utilization } = this.gpu;
    return {
      device: 'gpu',
      backend: 'cuda',
      ...base,
      gpu: {
        index: info.index,
        name: info.name,
        computeCapability: info.computeCapability,
        totalMemoryBytes: info.totalMemory,
        memoryPeakBytes: active.memory.peakReservedBytes,
        ...(utilization.length > 0 && { utilizationPct: utilization.reduce((a, b) => a + b, 0) / utilization.length }),
        precision: active.precision,
        cudaGraphs: { capturedSteps: active.executor.capturedSteps, replayedSteps: active.executor.replayedSteps, reason: active.executor.reason },
      },
    };
  }

  /** Evaluation after training runs on the CPU backend, as serving and batch prediction do. */
  restoreCpu(): void {
    if (this.gpu) setBackend(this.cpuBackend);
  }
}
