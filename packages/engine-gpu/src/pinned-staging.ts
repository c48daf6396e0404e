// Host → device writes through a ring of page-locked memory: the host data is copied into the ring
// and an async copyFromPinned is enqueued, so the host never waits for the device unless the ring is
// full. A region of the ring is reused only after the event recorded behind its copy has completed
// (the device may still be reading it). A write larger than the ring grows it: a bigger pinned buffer
// replaces the old one once the old one's copies are done.
import type { GpuAddon } from './gpu-addon.js';

export type StagingAddon = Pick<GpuAddon, 'allocPinned' | 'freePinned' | 'copyFromPinned' | 'eventCreate' | 'eventRecord' | 'eventQuery'
  | 'eventSynchronize' | 'eventDestroy'>;

export interface StagingStats {
  capacityBytes: number;
  writes: number;
  bytesWritten: number;
  /** Writes that had to wait for the device to finish an earlier copy. */
  waits: number;
  grows: number;
}

interface InFlight { start: number; end: number; event: number }

const ALIGN = 256;

export class PinnedStaging {
  private ptr = 0;
  private buffer: ArrayBuffer = new ArrayBuffer(0);
  private capacity = 0;
  private head = 0;
  private readonly inFlight: InFlight[] = []; // oldest first, in ring order
  private readonly idleEvents: number[] = [];
  private counts = { writes: 0, bytesWritten: 0, waits: 0, grows: 0 };

  constructor(private readonly addon: StagingAddon, initialBytes = 4 << 20) {
    this.allocate(Math.max(ALIGN, Math.ceil(initialBytes / ALIGN) * ALIGN));
  }

  /** Copy `src` into the device at `dst` in stream order; `src` may be reused as soon as this returns. */
  write(dst: number, src: Float32Array | Int32Array | Uint16Array | Uint8Array): void {
    const bytes = src.byteLength;
    if (bytes === 0) return;
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    if (size > this.capacity) this.grow(size);
    const start = this.reserve(size);
    new Uint8Array(this.buffer, start, bytes).set(new Uint8Array(src.buffer, src.byteOffset, bytes));
    this.addon.copyFromPinned(dst, this.ptr + start, bytes);
    const event = this.idleEvents.pop() ?? this.addon.eventCreate();
    this.addon.eventRecord(event);
    this.inFlight.push({ start, end: start + size, event });
    this.counts.writes++;
    this.counts.bytesWritten += bytes;
  }

  stats(): StagingStats {
    return { capacityBytes: this.capacity, ...this.counts };
  }

  /** Regions still owned by copies the device may not have finished (for tests). */
  pendingRegions(): number {
    this.retireCompleted();
    return this.inFlight.length;
  }

  dispose(): void {
    this.drain();
    if (this.ptr !== 0) this.addon.freePinned(this.ptr);
    this.ptr = 0;
    for (const e of this.idleEvents) this.addon.eventDestroy(e);
    this.idleEvents.length = 0;
  }

  /** Start offset of `size` free bytes: at the head, or at 0 after wrapping; waits for the oldest copies when they overlap. */
  private reserve(size: number): number {
    this.retireCompleted();
    const start = this.head + size <= this.capacity ? this.head : 0;
    while (this.inFlight.length > 0 && this.overlaps(start, start + size)) {
      const oldest = this.inFlight[0];
      if (!this.addon.eventQuery(oldest.event)) {
        this.counts.waits++;
        this.addon.eventSynchronize(oldest.event);
      }
      this.retire();
    }
    this.head = start + size;
    return start;
  }

  private overlaps(start: number, end: number): boolean {
    return this.inFlight.some((r) => r.start < end && start < r.end);
  }

  private retireCompleted(): void {
    while (this.inFlight.length > 0 && this.addon.eventQuery(this.inFlight[0].event)) this.retire();
  }

  private retire(): void {
    const r = this.inFlight.shift() as InFlight;
    this.idleEvents.push(r.event);
  }

  private drain(): void {
    while (this.inFlight.length > 0) {
      const r = this.inFlight[0];
      if (!this.addon.eventQuery(r.event)) this.addon.eventSynchronize(r.event);
      this.retire();
    }
  }

  private grow(size: number): void {
    this.drain();
    if (this.ptr !== 0) this.addon.freePinned(this.ptr);
    let cap = Math.max(this.capacity * 2, ALIGN);
    while (cap < size) cap *= 2;
    this.allocate(cap);
    this.counts.grows++;
  }

  private allocate(bytes: number): void {
    const { ptr, buffer } = this.addon.allocPinned(bytes);
    this.ptr = ptr;
    this.buffer = buffer;
    this.capacity = bytes;
    this.head = 0;
  }
}
