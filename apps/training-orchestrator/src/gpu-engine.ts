// The orchestrator's door to @atelier/engine-gpu: a dynamic import, so a CPU job (or a worker that
// offers no GPUs) never loads the package or its CUDA addon. Type imports are erased at run time.
import type * as EngineGpu from '@atelier/engine-gpu';

export type GpuEngine = typeof EngineGpu;
export type { GpuDeviceInfo } from '@atelier/engine-gpu';

/** Load engine-gpu; a package that cannot even be imported is reported like any other reason. */
export async function loadGpuEngine(): Promise<{ ok: true; engine: GpuEngine } | { ok: false; reason: string }> {
  try {
    return { ok: true, engine: await import('@atelier/engine-gpu') };
  } catch (err) {
    return { ok: false, reason: `@atelier/engine-gpu could not be loaded: ${(err as Error)?.message ?? String(err)}` };
  }
}
