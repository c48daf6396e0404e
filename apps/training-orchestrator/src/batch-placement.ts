// Where a GPU run's train batches come from: the whole train split kept resident on the device when
// it fits in half of the device's memory (or of its memory limit; the rest is for weights, optimizer
// state and activations), else host batches built and uploaded every step. The job's log says which.
export interface BatchPlacement {
  resident: boolean;
  /** The log line: the path taken and why. */
  message: string;
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * Null on CPU (no GPU memory given): host batches, nothing to say. Every training task here can be
 * resident (ranking, whose loss reads host groups, is not a training job's task; the engine would keep
 * host batches for it anyway).
 */
export function batchPlacement(trainBytes: number, gpuMemoryBytes: number | undefined): BatchPlacement | null {
  if (gpuMemoryBytes === undefined) return null;
  const budget = Math.floor(gpuMemoryBytes / 2);
  if (trainBytes > budget) {
    return { resident: false, message: `train batches: host (the train split is ${mib(trainBytes)}, over half of the GPU's ${mib(gpuMemoryBytes)})` };
  }
  return { resident: true, message: `train batches: resident on the GPU (the train split's ${mib(trainBytes)} uploaded once; at most half of the GPU's ${mib(gpuMemoryBytes)})` };
}
