// Caching device allocator (the PyTorch scheme, simplified): cudaMalloc is slow and synchronises, so
// freed blocks are kept in per-size free lists and handed out again. Sizes are rounded to 512-byte
// multiples under 1 MiB and 2 MiB multiples above, and a request is served only by a cached block of
// exactly its rounded size (no best fit, no splitting: training steps repeat the same sizes, and
// exact buckets never waste memory inside a block). Reuse is safe without events because the backend
// runs everything on one stream: work on a freed block is ordered before work on its next owner.
import type { AllocatorStats, DeviceAllocator, DeviceBlock } from './step-executor.js';

export interface RawDeviceMemory {
  malloc(bytes: number): number;
  free(ptr: number): void;
}

const SMALL_LIMIT = 1 << 20;
const SMALL_ROUND = 512;
const LARGE_ROUND = 2 << 20;

/** The bucket a request of `bytes` is served from. */
export function roundAllocationSize(bytes: number): number {
  if (bytes <= SMALL_ROUND) return SMALL_ROUND;
  if (bytes < SMALL_LIMIT) return Math.ceil(bytes / SMALL_ROUND) * SMALL_ROUND;
  return Math.ceil(bytes / LARGE_ROUND) * LARGE_ROUND;
}

function isOutOfMemory(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('CUDA out of memory');
}

export class CachingAllocator implements DeviceAllocator {
  private readonly cached = new Map<number, number[]>(); // rounded size → free pointers
  private readonly live = new Map<number, { size: number; block: DeviceBlock }>(); // ptr → handed-out block
  private allocated = 0;
  private reserved = 0;
  private peakAllocated = 0;
  private peakReserved = 0;
  private counts = { allocs: 0, cacheHits: 0, deviceMallocs: 0, deviceFrees: 0, cacheFlushes: 0, ooms: 0 };

  constructor(private readonly raw: RawDeviceMemory, private readonly limitBytes: number | null = null) {
    if (limitBytes !== null && !(Number.isFinite(limitBytes) && limitBytes > 0)) throw new Error(`CachingAllocator: limit must be > 0 bytes or null, got ${limitBytes}`);
  }

  alloc(bytes: number): DeviceBlock {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new TypeError(`alloc: bytes must be an integer ≥ 0, got ${bytes}`);
    this.counts.allocs++;
    const size = roundAllocationSize(bytes);
    const free = this.cached.get(size);
    let ptr: number;
    if (free && free.length > 0) {
      ptr = free.pop() as number;
      this.counts.cacheHits++;
    } else {
      ptr = this.deviceMalloc(bytes, size);
    }
    const block: DeviceBlock = { ptr, bytes };
    this.live.set(ptr, { size, block });
    this.allocated += size;
    if (this.allocated > this.peakAllocated) this.peakAllocated = this.allocated;
    return block;
  }

  free(block: DeviceBlock): void {
    const entry = this.live.get(block.ptr);
    if (!entry || entry.block !== block) {
      throw new Error(`free: block 0x${block.ptr.toString(16)} (${block.bytes} bytes) is not held by this allocator (double free or a foreign block)`);
    }
    this.live.delete(block.ptr);
    this.allocated -= entry.size;
    let list = this.cached.get(entry.size);
    if (!list) this.cached.set(entry.size, (list = []));
    list.push(block.ptr);
  }

  emptyCache(): void {
    for (const [size, list] of this.cached) {
      for (const ptr of list) {
        this.raw.free(ptr);
        this.reserved -= size;
        this.counts.deviceFrees++;
      }
    }
    this.cached.clear();
  }

  stats(): AllocatorStats {
    return {
      allocatedBytes: this.allocated,
      reservedBytes: this.reserved,
      peakAllocatedBytes: this.peakAllocated,
      peakReservedBytes: this.peakReserved,
      limitBytes: this.limitBytes,
      ...this.counts,
    };
  }

  resetPeak(): void {
    this.peakAllocated = this.allocated;
    this.peakReserved = this.reserved;
  }

  /** A new device block; on the limit or a device OOM, empty the cache and try once more. */
  private deviceMalloc(bytes: number, size: number): number {
    const attempt = (): number | null => {
      if (this.limitBytes !== null && this.reserved + size > this.limitBytes) return null;
      try {
        return this.raw.malloc(size);
      } catch (e) {
        if (isOutOfMemory(e)) return null;
        throw e;
      }
    };
    let ptr = attempt();
    if (ptr === null && this.cached.size > 0) {
      this.counts.cacheFlushes++;
      this.emptyCache();
      ptr = attempt();
    }
    if (ptr === null) {
      this.counts.ooms++;
      throw new Error(`CUDA out of memory: asked ${bytes} bytes, allocated ${this.allocated}, reserved ${this.reserved}, limit ${this.limitBytes ?? 'none'}`);
    }
    this.counts.deviceMallocs++;
    this.reserved += size;
    if (this.reserved > this.peakReserved) this.peakReserved = this.reserved;
    return ptr;
  }
}
