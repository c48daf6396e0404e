// The seam between the GPU backend (gpu-backend.ts: what each engine kernel launches) and how the
// launches run (eager, or captured and replayed as CUDA Graphs: step-graphs.ts). The backend never
// calls the addon's kernels directly: it asks the executor for memory and hands it each launch as a
// thunk with a signature, so a stable training step can be captured once and replayed.

/** Device memory as the backend sees it. */
export interface DeviceBlock {
  /** Device pointer. */
  readonly ptr: number;
  /** Bytes the caller asked for (the allocator may hold more). */
  readonly bytes: number;
}

export interface AllocatorStats {
  /** Bytes handed out and not yet freed (requested sizes rounded to the allocator's buckets). */
  allocatedBytes: number;
  /** Bytes held from cudaMalloc (allocated + cached free blocks). */
  reservedBytes: number;
  peakAllocatedBytes: number;
  peakReservedBytes: number;
  /** Explicit limit on reservedBytes (ATELIER_GPU_MEMORY_LIMIT_MB), or null. */
  limitBytes: number | null;
  /** alloc calls, of which served from the cache. */
  allocs: number;
  cacheHits: number;
  /** cudaMalloc / cudaFree calls. */
  deviceMallocs: number;
  deviceFrees: number;
  /** Times the cache was emptied to satisfy a request, and requests that still failed. */
  cacheFlushes: number;
  ooms: number;
}

export interface DeviceAllocator {
  alloc(bytes: number): DeviceBlock;
  free(block: DeviceBlock): void;
  /** Give every cached free block back to the device (cudaFree). */
  emptyCache(): void;
  stats(): AllocatorStats;
  resetPeak(): void;
}

/** Identifies a launch for graph planning: kernel name + shapes + the operands' pointers + static attrs. */
export type LaunchSignature = string;

export interface StepExecutor {
  /** Device memory for a new tensor (inside a captured step it comes from the graph's own pool). */
  alloc(bytes: number): DeviceBlock;
  free(block: DeviceBlock): void;
  /** Enqueue work on the stream: runs now when eager; recorded (and run or replayed) when a step is planned. */
  launch(signature: LaunchSignature, run: () => void): void;
  /** Host → device: copies `src` (taken now, the caller may reuse it) into `dst` in stream order. */
  write(dst: DeviceBlock, src: Float32Array | Int32Array): void;
  /** Device → host: everything launched so far has run when this returns. */
  read(src: DeviceBlock, dst: Float32Array | Int32Array): void;
  /** Step scope (Backend.beginStep / endStep). */
  beginStep(): void;
  endStep(completed: boolean): void;
  /** The current step did something a CUDA Graph cannot replay (a fallback kernel ran on the host). */
  markUncapturable(reason: string): void;
  stats(): ExecutorStats;
}

export interface ExecutorStats {
  /** Steps run eagerly, captured, and replayed from graphs. */
  eagerSteps: number;
  capturedSteps: number;
  replayedSteps: number;
  /** Graph segments of the current plan (a step is split at each host read). */
  segments: number;
  /** Why the current step shape is not replayed (a fallback kernel, shapes still changing, graphs off), or null. */
  reason: string | null;
}
