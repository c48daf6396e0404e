// Eager execution: every launch runs at once on the stream, memory comes from the caching allocator,
// writes go through the pinned staging ring and reads download (synchronising). The graph executor
// falls back to exactly this outside a planned step.
import type { GpuAddon } from './gpu-addon.js';
import type { PinnedStaging } from './pinned-staging.js';
import type { DeviceAllocator, DeviceBlock, ExecutorStats, LaunchSignature, StepExecutor } from './step-executor.js';

export type HostArray = Float32Array | Int32Array;

export function checkTransfer(what: string, block: DeviceBlock, host: HostArray): void {
  if (host.byteLength > block.bytes) throw new Error(`${what}: ${host.byteLength} bytes do not fit the ${block.bytes}-byte device block`);
}

export interface EagerExecutorOptions {
  addon: GpuAddon;
  allocator: DeviceAllocator;
  staging: PinnedStaging;
}

export class EagerExecutor implements StepExecutor {
  private steps = 0;
  private inStep = false;
  protected readonly addon: GpuAddon;
  readonly allocator: DeviceAllocator;
  readonly staging: PinnedStaging;

  constructor(opts: EagerExecutorOptions, private readonly reason: string | null = null) {
    this.addon = opts.addon;
    this.allocator = opts.allocator;
    this.staging = opts.staging;
  }

  alloc(bytes: number): DeviceBlock {
    return this.allocator.alloc(bytes);
  }

  free(block: DeviceBlock): void {
    this.allocator.free(block);
  }

  launch(_signature: LaunchSignature, run: () => void): void {
    run();
  }

  write(dst: DeviceBlock, src: HostArray): void {
    checkTransfer('write', dst, src);
    this.staging.write(dst.ptr, src);
  }

  read(src: DeviceBlock, dst: HostArray): void {
    checkTransfer('read', src, dst);
    this.addon.download(src.ptr, dst);
  }

  beginStep(): void {
    this.inStep = true;
  }

  endStep(_completed: boolean): void {
    if (this.inStep) this.steps++;
    this.inStep = false;
  }

  markUncapturable(_reason: string): void {
    // Nothing is captured here.
  }

  /** Give back the staging ring and the allocator's cached device memory. */
  dispose(): void {
    this.staging.dispose();
    this.allocator.emptyCache();
  }

  stats(): ExecutorStats {
    return { eagerSteps: this.steps, capturedSteps: 0, replayedSteps: 0, segments: 0, reason: this.reason };
  }
}
