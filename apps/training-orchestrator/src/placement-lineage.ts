// What a model version's lineage records of where it trained (from the job's placement): device,
// backend and the GPU's name. Used by a train job's commit and by a study registering its best trial.
import type { JobPlacement } from '@atelier/contracts';

export function placementLineage(placement: JobPlacement | undefined): { device?: JobPlacement['device']; backend?: JobPlacement['backend']; gpuName?: string } {
  if (!placement) return {};
  return { device: placement.device, backend: placement.backend, ...(placement.gpu && { gpuName: placement.gpu.name }) };
}
