// EagerExecutor on the host emulator (the GPU addon's test fake: this machine has no GPU).
import { describe, expect, it } from 'vitest';
import { CachingAllocator } from './device-allocator.js';
import { EagerExecutor } from './eager-executor.js';
import { PinnedStaging } from './pinned-staging.js';
import { createHostEmulator } from './testing/host-emulator.js';

describe('EagerExecutor', () => {
  it('runs launches at once, writes through the pinned ring and reads by download', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const allocator = new CachingAllocator(emu);
    const staging = new PinnedStaging(emu, 1024);
    const ex = new EagerExecutor({ addon: emu, allocator, staging });
    ex.beginStep();
    const x = ex.alloc(16), y = ex.alloc(16);
    ex.write(x, new Float32Array([1, -2, 3, -4]));
    let ran = 0;
    ex.launch('relu', () => { ran++; emu.unary(0, x.ptr, y.ptr, 4); });
    expect(ran).toBe(1);
    expect(emu.pending()).toBeGreaterThan(0); // enqueued on the (deferred) stream, not waited for
    ex.markUncapturable('ignored when eager');
    const out = new Float32Array(4);
    ex.read(y, out);
    expect([...out]).toEqual([1, 0, 3, 0]);
    ex.free(x);
    ex.free(y);
    ex.endStep(true);
    expect(staging.stats().writes).toBe(1);
    expect(allocator.stats()).toMatchObject({ allocs: 2, allocatedBytes: 0 });
    expect(ex.stats()).toEqual({ eagerSteps: 1, capturedSteps: 0, replayedSteps: 0, segments: 0, reason: null });
    expect(() => ex.read(x, new Float32Array(8))).toThrow(/do not fit/);
  });
});
