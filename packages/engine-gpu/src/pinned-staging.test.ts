// Pinned ring bookkeeping on the host emulator (a test fake: this machine has no GPU), with its
// deferred stream so the device really runs behind the host.
import { describe, expect, it } from 'vitest';
import { PinnedStaging } from './pinned-staging.js';
import { createHostEmulator } from './testing/host-emulator.js';

function read(emu: ReturnType<typeof createHostEmulator>, ptr: number, n: number): number[] {
  const out = new Float32Array(n);
  emu.download(ptr, out);
  return [...out];
}

describe('PinnedStaging', () => {
  it('copies in stream order; the caller may reuse its array at once', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const st = new PinnedStaging(emu, 1024);
    const a = emu.malloc(16), b = emu.malloc(16);
    const src = new Float32Array([1, 2, 3, 4]);
    st.write(a, src);
    src.set([5, 6, 7, 8]);
    st.write(b, src);
    src.fill(0);
    expect(emu.pending()).toBeGreaterThan(0); // nothing ran yet
    expect(read(emu, a, 4)).toEqual([1, 2, 3, 4]);
    expect(read(emu, b, 4)).toEqual([5, 6, 7, 8]);
    expect(st.stats()).toMatchObject({ writes: 2, bytesWritten: 32, waits: 0, grows: 0, capacityBytes: 1024 });
  });

  it('reuses a region only after its copy completed: a full ring waits for the oldest copy', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const st = new PinnedStaging(emu, 1024); // four 256-byte regions
    const dst = [0, 1, 2, 3, 4].map(() => emu.malloc(256));
    for (let i = 0; i < 4; i++) st.write(dst[i], new Float32Array(64).fill(i + 1));
    expect(st.pendingRegions()).toBe(4);
    expect(st.stats().waits).toBe(0);
    st.write(dst[4], new Float32Array(64).fill(5)); // wraps onto region 0, still being copied
    expect(st.stats().waits).toBe(1);
    for (let i = 0; i < 5; i++) expect(read(emu, dst[i], 64)).toEqual(new Array(64).fill(i + 1));
  });

  it('does not wait when the device has already finished', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const st = new PinnedStaging(emu, 512);
    const d = emu.malloc(256);
    for (let i = 0; i < 6; i++) {
      st.write(d, new Float32Array(64).fill(i));
      emu.advance(); // the device keeps up
    }
    expect(st.stats().waits).toBe(0);
    expect(st.pendingRegions()).toBe(0);
    expect(read(emu, d, 1)).toEqual([5]);
  });

  it('grows to a larger pinned buffer for a write bigger than the ring', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const st = new PinnedStaging(emu, 256);
    const small = emu.malloc(16), big = emu.malloc(4096);
    st.write(small, new Float32Array([9]));
    const data = Float32Array.from({ length: 1024 }, (_, i) => i);
    st.write(big, data);
    expect(st.stats()).toMatchObject({ grows: 1, capacityBytes: 4096 });
    expect(read(emu, small, 1)).toEqual([9]);
    expect(read(emu, big, 1024)).toEqual([...data]);
    st.dispose();
  });

  it('works on the immediate stream too (every event already complete)', () => {
    const emu = createHostEmulator();
    const st = new PinnedStaging(emu, 256);
    const d = emu.malloc(64);
    for (let i = 0; i < 10; i++) st.write(d, new Int32Array([i, i + 1]));
    const out = new Int32Array(2);
    emu.download(d, out);
    expect([...out]).toEqual([9, 10]);
    expect(st.stats().waits).toBe(0);
  });
});
