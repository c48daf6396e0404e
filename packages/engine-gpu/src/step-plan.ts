// Planning CUDA Graphs for a training step, as pure functions (no addon): a step is the list of its
// executor events; pointers in them are normalised so the same step twice gives the same key; a
// stable key becomes a plan (arena offsets for the step's allocations, pinned slots for its writes,
// segments split at each host read, since a read needs the work before it finished).

export type StepEvent =
  | { kind: 'alloc'; bytes: number }
  | { kind: 'free'; ref: string }
  | { kind: 'write'; ref: string; bytes: number }
  | { kind: 'launch'; signature: string }
  | { kind: 'read'; ref: string; bytes: number }
  | { kind: 'uncapturable'; reason: string };

export function eventKey(e: StepEvent): string {
  switch (e.kind) {
    case 'alloc': return `alloc ${e.bytes}`;
    case 'free': return `free ${e.ref}`;
    case 'write': return `write ${e.ref} ${e.bytes}`;
    case 'launch': return `launch ${e.signature}`;
    case 'read': return `read ${e.ref} ${e.bytes}`;
    case 'uncapturable': return `uncapturable ${e.reason}`;
  }
}

export function stepKey(events: readonly StepEvent[]): string {
  return events.map(eventKey).join('\n');
}

/** Blocks allocated in the current step, found by any pointer inside them (allocation order names them). */
export class StepBlocks {
  private live: { start: number; end: number; index: number }[] = []; // ascending start
  private count = 0;

  /** Register a step-local block; returns its index (allocation order in the step). */
  add(ptr: number, bytes: number): number {
    const index = this.count++;
    const entry = { start: ptr, end: ptr + Math.max(bytes, 1), index };
    let lo = 0, hi = this.live.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.live[mid].start < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.live.splice(lo, 0, entry);
    return index;
  }

  remove(ptr: number): void {
    const i = this.find(ptr);
    if (i >= 0 && this.live[i].start === ptr) this.live.splice(i, 1);
  }

  /** Index of the live step-local block containing `ptr`, or null. */
  indexAt(ptr: number): number | null {
    const i = this.find(ptr);
    return i >= 0 ? this.live[i].index : null;
  }

  liveCount(): number {
    return this.live.length;
  }

  /** Pointer-like numbers (decimal with ≥ 6 digits, or 0x hex) inside a live step-local block become L<index>[+offset]. */
  normalise(signature: string): string {
    if (this.live.length === 0) return signature;
    return signature.replace(/0x[0-9a-fA-F]+|\d{6,}/g, (tok) => {
      const p = Number(tok);
      const i = this.find(p);
      if (i < 0) return tok;
      const b = this.live[i];
      return p === b.start ? `L${b.index}` : `L${b.index}+${p - b.start}`;
    });
  }

  clear(): void {
    this.live = [];
    this.count = 0;
  }

  private find(ptr: number): number {
    let lo = 0, hi = this.live.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.live[mid];
      if (ptr < b.start) hi = mid - 1;
      else if (ptr >= b.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }
}

/** Counts consecutive steps with the same key; stable after `n`. An uncapturable step starts over. */
export class StabilityTracker {
  private lastKey: string | null = null;
  private run = 0;

  constructor(readonly n: number) {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`stableSteps must be an integer ≥ 1, got ${n}`);
  }

  /** Note a finished step; true when its shape has now been seen `n` times in a row. */
  push(key: string, capturable: boolean): boolean {
    if (!capturable) {
      this.reset();
      return false;
    }
    this.run = key === this.lastKey ? this.run + 1 : 1;
    this.lastKey = key;
    return this.run >= this.n;
  }

  /** Steps in a row with the current key. */
  streak(): number {
    return this.run;
  }

  reset(): void {
    this.lastKey = null;
    this.run = 0;
  }
}

export const ARENA_ALIGN = 256;

export interface Segment {
  /** Events [start, end) of the step; a segment that ends at a read includes it. */
  start: number;
  end: number;
  /** Launches and writes in it (a segment without any needs no graph). */
  work: number;
}

export interface StepPlan {
  key: string;
  eventKeys: string[];
  /** Arena byte offset of each alloc, in allocation order, and the arena's size. */
  allocOffsets: number[];
  arenaBytes: number;
  /** For each event index that is a write: its pinned slot offset. */
  writeSlots: Map<number, number>;
  pinnedBytes: number;
  segments: Segment[];
  /** Segment of each event. */
  segmentOf: Int32Array;
}

export function segmentsOf(events: readonly StepEvent[]): Segment[] {
  const out: Segment[] = [];
  let start = 0, work = 0;
  events.forEach((e, i) => {
    if (e.kind === 'launch' || e.kind === 'write') work++;
    if (e.kind === 'read') {
      out.push({ start, end: i + 1, work });
      start = i + 1;
      work = 0;
    }
  });
  if (start < events.length || out.length === 0) out.push({ start, end: events.length, work });
  return out;
}

const align = (n: number): number => Math.ceil(n / ARENA_ALIGN) * ARENA_ALIGN;

/** The plan for a step whose events repeat: a bump arena (no reuse inside the step, so a pointer names one tensor) and a pinned slot per write. */
export function buildPlan(events: readonly StepEvent[]): StepPlan {
  const allocOffsets: number[] = [];
  const writeSlots = new Map<number, number>();
  let arena = 0, pinned = 0;
  events.forEach((e, i) => {
    if (e.kind === 'alloc') {
      allocOffsets.push(arena);
      arena += align(Math.max(e.bytes, 1));
    } else if (e.kind === 'write') {
      writeSlots.set(i, pinned);
      pinned += align(Math.max(e.bytes, 1));
    } else if (e.kind === 'uncapturable') {
      throw new Error(`buildPlan: the step is not capturable (${e.reason})`);
    }
  });
  const segments = segmentsOf(events);
  const segmentOf = new Int32Array(events.length);
  segments.forEach((s, k) => segmentOf.fill(k, s.start, s.end));
  return { key: stepKey(events), eventKeys: events.map(eventKey), allocOffsets, arenaBytes: arena, writeSlots, pinnedBytes: pinned, segments, segmentOf };
}
