// Allocator bookkeeping on the host emulator (the GPU addon's test fake: this machine has no GPU).
import { describe, expect, it } from 'vitest';
import { CachingAllocator, roundAllocationSize } from './device-allocator.js';
import { createHostEmulator } from './testing/host-emulator.js';

const MiB = 1 << 20;

describe('CachingAllocator', () => {
  it('rounds to 512 bytes under 1 MiB and to 2 MiB above', () => {
    expect(roundAllocationSize(0)).toBe(512);
    expect(roundAllocationSize(1)).toBe(512);
    expect(roundAllocationSize(513)).toBe(1024);
    expect(roundAllocationSize(MiB - 1)).toBe(MiB);
    expect(roundAllocationSize(MiB)).toBe(2 * MiB);
    expect(roundAllocationSize(2 * MiB + 1)).toBe(4 * MiB);
  });

  it('serves a freed block of the same bucket from the cache and counts it', () => {
    const emu = createHostEmulator();
    const a = new CachingAllocator(emu);
    const b1 = a.alloc(1000);
    a.free(b1);
    const b2 = a.alloc(1024); // same 1024-byte bucket
    expect(b2.ptr).toBe(b1.ptr);
    expect(b2.bytes).toBe(1024);
    const b3 = a.alloc(1000); // cache empty for that bucket now
    expect(b3.ptr).not.toBe(b1.ptr);
    const s = a.stats();
    expect(s).toMatchObject({ allocs: 3, cacheHits: 1, deviceMallocs: 2, deviceFrees: 0, allocatedBytes: 2048, reservedBytes: 2048 });
    expect(emu.emulatorStats().mallocs).toBe(2);
  });

  it('tracks peaks, empties the cache and resets peaks', () => {
    const emu = createHostEmulator();
    const a = new CachingAllocator(emu);
    const x = a.alloc(3 * MiB), y = a.alloc(100);
    a.free(x);
    expect(a.stats()).toMatchObject({ allocatedBytes: 512, reservedBytes: 4 * MiB + 512, peakAllocatedBytes: 4 * MiB + 512 });
    a.emptyCache();
    expect(a.stats()).toMatchObject({ reservedBytes: 512, deviceFrees: 1, peakReservedBytes: 4 * MiB + 512 });
    expect(emu.memGetInfo().free).toBe(emu.memGetInfo().total - 512);
    a.resetPeak();
    expect(a.stats()).toMatchObject({ peakAllocatedBytes: 512, peakReservedBytes: 512 });
    a.free(y);
  });

  it('throws on a double free and on a block it did not hand out', () => {
    const a = new CachingAllocator(createHostEmulator());
    const b = a.alloc(64);
    a.free(b);
    expect(() => a.free(b)).toThrow(/double free or a foreign block/);
    expect(() => a.free({ ptr: 12345, bytes: 4 })).toThrow(/not held by this allocator/);
    const c = a.alloc(64);
    expect(() => a.free({ ptr: c.ptr, bytes: 64 })).toThrow(/foreign/); // same pointer, not the block handed out
  });

  it('on a device OOM empties the cache and retries once, then reports', () => {
    const emu = createHostEmulator({ totalMemory: 8 * MiB });
    const a = new CachingAllocator(emu);
    const x = a.alloc(3 * MiB); // 4 MiB bucket
    const y = a.alloc(3 * MiB);
    a.free(x);
    a.free(y);
    const z = a.alloc(5 * MiB); // 6 MiB bucket: the device has no room until both cached blocks go back
    expect(a.stats()).toMatchObject({ cacheFlushes: 1, ooms: 0, reservedBytes: 6 * MiB, deviceFrees: 2 });
    expect(() => a.alloc(3 * MiB)).toThrow(`CUDA out of memory: asked ${3 * MiB} bytes, allocated ${6 * MiB}, reserved ${6 * MiB}, limit none`);
    expect(a.stats().ooms).toBe(1);
    a.free(z);
  });

  it('enforces an explicit limit on reserved bytes', () => {
    const a = new CachingAllocator(createHostEmulator(), 4096);
    const x = a.alloc(2048);
    const y = a.alloc(1024);
    a.free(y);
    const z = a.alloc(1536); // 2048 + 1024 cached + 1536 > 4096: flush the cached 1024, then it fits
    expect(a.stats()).toMatchObject({ reservedBytes: 3584, cacheFlushes: 1, limitBytes: 4096 });
    expect(() => a.alloc(1024)).toThrow('CUDA out of memory: asked 1024 bytes, allocated 3584, reserved 3584, limit 4096');
    a.free(x);
    a.free(z);
    expect(() => new CachingAllocator(createHostEmulator(), 0)).toThrow(/limit/);
  });

  it('passes on device errors that are not out-of-memory', () => {
    const a = new CachingAllocator({ malloc: () => { throw new Error('CUDA error: unspecified launch failure'); }, free: () => undefined });
    expect(() => a.alloc(10)).toThrow('unspecified launch failure');
  });
});
