// The worker's GPUs while it runs: one per running job that trains on a GPU, taken at launch and given
// back when the job ends. The claim loop offers the catalog only the free count, so a gpu job is never
// claimed without a GPU for it (it stays queued, for this worker later or another one now).
import type { GpuDeviceInfo } from './gpu-engine.js';

/** One GPU per running job: a free list of device indices. */
export class GpuPool {
  private readonly free: number[];

  constructor(readonly devices: readonly GpuDeviceInfo[]) {
    this.free = devices.map((d) => d.index);
  }

  get freeCount(): number {
    return this.free.length;
  }

  /** A free device index, or undefined when every GPU is taken. */
  acquire(): number | undefined {
    return this.free.shift();
  }

  release(index: number): void {
    if (!this.devices.some((d) => d.index === index) || this.free.includes(index)) throw new Error(`GPU ${index} is not taken from this pool`);
    this.free.push(index);
    this.free.sort((a, b) => a - b);
  }

  device(index: number): GpuDeviceInfo | undefined {
    return this.devices.find((d) => d.index === index);
  }
}
