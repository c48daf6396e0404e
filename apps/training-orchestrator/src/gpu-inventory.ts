// The GPUs this worker offers, decided once at start: ATELIER_WORKER_GPUS unset → every device the
// engine-gpu probe finds (none on a machine without a GPU, the package is then never used); set → that
// many, but never more than the probe finds (a worker that offered GPUs it lacks would claim gpu jobs
// only to fail them). A worker configured with 0 GPUs never loads engine-gpu. Throws on a bad GPU setting.
import { loadGpuEngine, type GpuDeviceInfo } from './gpu-engine.js';
import type { OrchestratorConfig } from './orchestrator.config.js';
import type { RunnerDeps } from './job-runner.js';

export interface GpuInventory {
  /** The devices offered, by CUDA index (length = the GPUs this worker registers). */
  devices: GpuDeviceInfo[];
  /** Why the probe found fewer devices than configured (or none), when it did. */
  reason: string | null;
}

export async function probeGpuInventory(config: Pick<OrchestratorConfig, 'gpus' | 'gpusFromProbe'>, log: RunnerDeps['log'], env: NodeJS.ProcessEnv = process.env): Promise<GpuInventory> {
  if (!config.gpusFromProbe && config.gpus === 0) return { devices: [], reason: null };
  const loaded = await loadGpuEngine();
  let found: GpuDeviceInfo[] = [];
  let reason: string | null;
  if (loaded.ok) {
    const status = await loaded.engine.gpuStatus(env);
    found = status.devices;
    // A bad GPU setting (ATELIER_GPU_PRECISION=…) fails the worker's start, like its other settings,
    // instead of failing every gpu job it claims.
    if (found.length > 0) loaded.engine.gpuConfigFromEnv(env);
    reason = status.reason ?? (found.length === 0 ? 'the probe found no CUDA device' : null);
  } else {
    reason = loaded.reason;
  }
  if (config.gpusFromProbe) {
    log('info', found.length ? `offering ${found.length} GPU(s) found by the probe: ${found.map((d) => `${d.index}: ${d.name}`).join(', ')}` : `offering no GPUs: ${reason}`);
    return { devices: found, reason: found.length ? null : reason };
  }
  if (config.gpus > found.length) {
    log('warn', `ATELIER_WORKER_GPUS=${config.gpus} but the GPU probe found ${found.length}; offering ${found.length} (${reason ?? 'no reason given'})`);
    return { devices: found, reason };
  }
  return { devices: found.slice(0, config.gpus), reason: null };
}
