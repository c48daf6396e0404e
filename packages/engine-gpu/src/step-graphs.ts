// CUDA Graphs for a stable training step. Per-op launch cost is what keeps small models slow on a
// GPU: once the same step has run `stableSteps` times in a row (same events, pointers normalised:
// step-plan.ts), the next step is captured segment by segment (a segment ends at each host read)
// and later steps replay the graphs. The JS step still runs every time: each event is checked
// against the plan, allocations return fixed arena pointers, writes fill their own pinned slot, and
// launches are deferred and dropped (the graph does the work). Any difference from the plan runs
// the deferred launches eagerly, drops the plan and goes back to recording, so results stay correct.
// Outside beginStep/endStep, and while recording, execution is exactly EagerExecutor's.
import { CachingAllocator } from './device-allocator.js';
import { EagerExecutor, checkTransfer, type EagerExecutorOptions, type HostArray } from './eager-executor.js';
import type { GpuAddon } from './gpu-addon.js';
import { PinnedStaging } from './pinned-staging.js';
import { buildPlan, eventKey, StabilityTracker, StepBlocks, stepKey, type StepEvent, type StepPlan } from './step-plan.js';
import type { DeviceBlock, ExecutorStats, LaunchSignature } from './step-executor.js';

export interface GraphExecutorOptions extends EagerExecutorOptions {
  /** false (ATELIER_GPU_CUDA_GRAPHS=0): always eager, reason 'CUDA Graphs disabled'. */
  cudaGraphs?: boolean;
  /** Identical steps in a row before capturing (default 2). */
  stableSteps?: number;
}

/** Device memory of a plan's step-local allocations; released once the plan is gone and none of its blocks is alive. */
interface Arena { block: DeviceBlock; live: number; retired: boolean }

type Deferred = { kind: 'launch'; run: () => void } | { kind: 'write'; dst: number; src: number; bytes: number };

interface ActivePlan {
  plan: StepPlan;
  arena: Arena;
  pinned: { ptr: number; buffer: ArrayBuffer } | null;
  /** Instantiated graph of each segment (null until captured; 0 for a segment with no work). */
  graphs: (number | null)[];
  /** Recorded after each segment's launch: its pinned slots may be refilled once it completes. */
  events: number[];
  captured: boolean;
}

interface Local { index: number; arena: Arena | null }

export class GraphExecutor extends EagerExecutor {
  private readonly enabled: boolean;
  private readonly tracker: StabilityTracker;
  /** A step is open and recorded (always false with graphs disabled: those steps are plain eager). */
  private stepOpen = false;
  private eagerStepOpen = false;
  private readonly blocks = new StepBlocks();
  private readonly locals = new Map<DeviceBlock, Local>();
  /** Blocks of an arena that outlived their step (freed later, against the arena's count). */
  private readonly arenaBlocks = new Map<DeviceBlock, Arena>();
  private events: StepEvent[] = [];
  private uncapturable: string | null = null;
  /** Why this step left the plan, if it did. */
  private diverged: string | null = null;
  private active: ActivePlan | null = null;
  /** A plan ready for the next step (the last steps were identical). */
  private pending: StepPlan | null = null;
  /** This step follows the active plan (false once it diverged, or while recording). */
  private following = false;
  private pos = 0;
  private allocs = 0;
  private segment = 0;
  private deferred: Deferred[] = [];
  /** Step shapes whose capture failed, and why: they stay eager. */
  private readonly failed = new Map<string, string>();
  private why: string | null;
  private counts = { eagerSteps: 0, capturedSteps: 0, replayedSteps: 0, slotWaits: 0 };

  constructor(opts: GraphExecutorOptions) {
    super(opts);
    this.enabled = opts.cudaGraphs ?? true;
    this.tracker = new StabilityTracker(opts.stableSteps ?? 2);
    this.why = this.enabled ? 'no step run yet' : 'CUDA Graphs disabled';
  }

  override alloc(bytes: number): DeviceBlock {
    if (!this.stepOpen) return this.allocator.alloc(bytes);
    const event: StepEvent = { kind: 'alloc', bytes };
    let block: DeviceBlock;
    let arena: Arena | null = null;
    if (this.follow(event)) {
      const a = this.active as ActivePlan;
      block = { ptr: a.arena.block.ptr + a.plan.allocOffsets[this.allocs], bytes };
      arena = a.arena;
      arena.live++;
    } else {
      block = this.allocator.alloc(bytes);
    }
    this.allocs++;
    this.locals.set(block, { index: this.blocks.add(block.ptr, bytes), arena });
    return block;
  }

  override free(block: DeviceBlock): void {
    const local = this.locals.get(block);
    if (this.stepOpen) this.follow({ kind: 'free', ref: this.refOf(block) });
    if (local) {
      this.locals.delete(block);
      this.blocks.remove(block.ptr);
      if (local.arena) this.releaseFromArena(local.arena);
      else this.allocator.free(block);
      return;
    }
    const arena = this.arenaBlocks.get(block);
    if (arena) {
      this.arenaBlocks.delete(block);
      this.releaseFromArena(arena);
      return;
    }
    this.allocator.free(block);
  }

  override launch(signature: LaunchSignature, run: () => void): void {
    if (this.stepOpen && this.follow({ kind: 'launch', signature: this.blocks.normalise(signature) })) {
      this.deferred.push({ kind: 'launch', run });
      return;
    }
    run();
  }

  override write(dst: DeviceBlock, src: HostArray): void {
    checkTransfer('write', dst, src);
    if (this.stepOpen && this.follow({ kind: 'write', ref: this.refOf(dst), bytes: src.byteLength })) {
      const a = this.active as ActivePlan;
      const slot = a.plan.writeSlots.get(this.pos - 1) as number;
      const pinned = a.pinned as { ptr: number; buffer: ArrayBuffer };
      // The slot's previous copy (same segment, last step) must have finished before it is refilled.
      const ev = a.events[a.plan.segmentOf[this.pos - 1]];
      if (!this.addon.eventQuery(ev)) {
        this.counts.slotWaits++;
        this.addon.eventSynchronize(ev);
      }
      new Uint8Array(pinned.buffer, slot, src.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
      this.deferred.push({ kind: 'write', dst: dst.ptr, src: pinned.ptr + slot, bytes: src.byteLength });
      return;
    }
    this.staging.write(dst.ptr, src);
  }

  override read(src: DeviceBlock, dst: HostArray): void {
    checkTransfer('read', src, dst);
    if (this.stepOpen && this.follow({ kind: 'read', ref: this.refOf(src), bytes: dst.byteLength })) this.endSegment();
    this.addon.download(src.ptr, dst);
  }

  override markUncapturable(reason: string): void {
    if (!this.stepOpen) return;
    this.follow({ kind: 'uncapturable', reason });
    this.uncapturable ??= reason;
  }

  override beginStep(): void {
    if (this.stepOpen || this.eagerStepOpen) throw new Error('beginStep: a step is already open');
    if (!this.enabled) {
      this.eagerStepOpen = true;
      return;
    }
    this.stepOpen = true;
    this.events = [];
    this.uncapturable = null;
    this.diverged = null;
    this.pos = 0;
    this.allocs = 0;
    this.segment = 0;
    this.deferred = [];
    this.blocks.clear();
    this.locals.clear();
    if (this.active && this.active.arena.live > 0) this.dropPlan('a step output outlived its step (its arena memory is still in use)');
    if (!this.active && this.pending) {
      const plan = this.pending;
      this.pending = null;
      try {
        this.active = this.activate(plan);
      } catch (e) {
        // No room for the arena or the pinned slots: this step shape stays eager.
        this.failed.set(plan.key, `capture skipped: ${(e as Error).message}`);
      }
    }
    this.following = this.active !== null;
  }

  override endStep(completed: boolean): void {
    if (this.eagerStepOpen) {
      this.eagerStepOpen = false;
      this.counts.eagerSteps++;
      return;
    }
    if (!this.stepOpen) return;
    let failure: unknown = null;
    try {
      if (this.following) {
        const a = this.active as ActivePlan;
        if (!completed) this.diverge('the step threw');
        else if (this.pos !== a.plan.eventKeys.length) this.diverge('the step ended early');
        else this.endSegment();
      }
    } catch (e) {
      // The last segment's launch (or its eager fallback) failed: the step is over either way.
      failure = e;
      completed = false;
      if (this.following) this.dropPlan(`the step failed: ${(e as Error).message}`);
      this.following = false;
    }
    const planned = this.following;
    this.stepOpen = false;
    this.following = false;
    // Blocks still alive outlive the step: they become ordinary blocks (an arena's keep it alive).
    let escaped = 0;
    for (const [block, local] of this.locals) {
      escaped++;
      if (local.arena) this.arenaBlocks.set(block, local.arena);
    }
    this.locals.clear();
    this.blocks.clear();
    if (planned) {
      const a = this.active as ActivePlan;
      if (a.captured) this.counts.replayedSteps++;
      else this.counts.capturedSteps++;
      a.captured = true;
      this.why = null;
    } else {
      this.counts.eagerSteps++;
      if (completed) this.noteRecordedStep(escaped);
      else {
        this.tracker.reset();
        this.why = 'the step threw';
      }
    }
    if (failure !== null) throw failure;
  }

  override stats(): ExecutorStats {
    const segments = this.active ? this.active.plan.segments.filter((s) => s.work > 0).length : 0;
    const { eagerSteps, capturedSteps, replayedSteps } = this.counts;
    return { eagerSteps, capturedSteps, replayedSteps, segments, reason: this.why };
  }

  /** Wait counts for pinned-slot refills (tests). */
  slotWaits(): number {
    return this.counts.slotWaits;
  }

  override dispose(): void {
    if (this.active) this.dropPlan('disposed');
    this.pending = null;
    super.dispose();
  }

  // ---------------------------------------------------------------- recording

  private noteRecordedStep(escaped: number): void {
    const key = stepKey(this.events);
    let why: string | null = this.uncapturable;
    if (!why && escaped > 0) why = `${escaped} block(s) allocated in the step outlive it`;
    if (!why) why = this.failed.get(key) ?? null;
    const stable = this.tracker.push(key, why === null);
    if (why) this.why = why;
    else if (this.diverged) this.why = this.diverged;
    else if (!stable) this.why = `step shape not yet stable (${this.tracker.streak()} of ${this.tracker.n} identical steps)`;
    if (stable && !this.active) {
      this.pending = buildPlan(this.events);
      this.why = 'capturing at the next step';
    }
  }

  /** Record `event`; true when the step follows the active plan and the event matches it. */
  private follow(event: StepEvent): boolean {
    this.events.push(event);
    if (!this.following) return false;
    const a = this.active as ActivePlan;
    if (this.pos < a.plan.eventKeys.length && a.plan.eventKeys[this.pos] === eventKey(event)) {
      this.pos++;
      return true;
    }
    this.diverge(`diverged at event ${this.pos} (${eventKey(event).slice(0, 80)})`);
    return false;
  }

  private refOf(block: DeviceBlock): string {
    const local = this.locals.get(block);
    return local ? `L${local.index}` : `G${block.ptr}`;
  }

  // ---------------------------------------------------------------- plans

  private activate(plan: StepPlan): ActivePlan {
    const arenaBlock = this.allocator.alloc(Math.max(plan.arenaBytes, 1));
    let pinned: ActivePlan['pinned'] = null;
    try {
      if (plan.pinnedBytes > 0) pinned = this.addon.allocPinned(plan.pinnedBytes);
    } catch (e) {
      this.allocator.free(arenaBlock);
      throw e;
    }
    return {
      plan,
      arena: { block: arenaBlock, live: 0, retired: false },
      pinned,
      graphs: plan.segments.map(() => null),
      events: plan.segments.map(() => this.addon.eventCreate()),
      captured: false,
    };
  }

  /** End the current segment: capture it the first time, then launch its graph. */
  private endSegment(): void {
    const a = this.active as ActivePlan;
    const k = this.segment++;
    const work = this.deferred;
    this.deferred = [];
    if (work.length === 0) return;
    let graph = a.graphs[k];
    if (graph === null) {
      try {
        graph = this.capture(work);
      } catch (e) {
        const why = `capture failed: ${(e as Error).message}`;
        this.failed.set(a.plan.key, why);
        this.deferred = work;
        this.diverge(why);
        return;
      }
      a.graphs[k] = graph;
    }
    this.addon.graphLaunch(graph);
    this.addon.eventRecord(a.events[k]);
  }

  private capture(work: Deferred[]): number {
    this.addon.captureBegin();
    try {
      for (const d of work) this.exec(d);
    } catch (e) {
      if (this.addon.capturing()) {
        try {
          this.addon.graphDestroy(this.addon.captureEnd());
        } catch {
          // The capture was invalidated: captureEnd closed it and threw; the first error is the one to report.
        }
      }
      throw e;
    }
    return this.addon.captureEnd();
  }

  private exec(d: Deferred): void {
    if (d.kind === 'launch') d.run();
    else this.addon.copyFromPinned(d.dst, d.src, d.bytes);
  }

  /** Leave the plan mid-step: the deferred work runs now, in order, and the rest of the step is eager. */
  private diverge(reason: string): void {
    this.following = false;
    this.diverged = reason;
    const work = this.deferred;
    this.deferred = [];
    try {
      for (const d of work) this.exec(d);
    } finally {
      this.dropPlan(reason);
    }
  }

  private dropPlan(reason: string): void {
    const a = this.active;
    if (!a) return;
    this.active = null;
    this.why = reason;
    this.tracker.reset();
    for (const g of a.graphs) if (g) this.addon.graphDestroy(g);
    // cudaFreeHost waits for the device, so copies still reading a slot finish first.
    if (a.pinned) this.addon.freePinned(a.pinned.ptr);
    for (const e of a.events) this.addon.eventDestroy(e);
    a.arena.retired = true;
    if (a.arena.live === 0) this.allocator.free(a.arena.block);
  }

  private releaseFromArena(arena: Arena): void {
    arena.live--;
    if (arena.retired && arena.live === 0) this.allocator.free(arena.block);
  }
}

export interface CreateExecutorOptions {
  /** Limit on reserved device memory (ATELIER_GPU_MEMORY_LIMIT_MB), or null. */
  memoryLimitBytes?: number | null;
  /** false: eager only (ATELIER_GPU_CUDA_GRAPHS=0). */
  cudaGraphs: boolean;
  stableSteps?: number;
  /** Initial pinned staging ring (default 4 MiB; grows for larger writes). */
  stagingBytes?: number;
}

/** The backend's executor: caching allocator + pinned staging + CUDA Graphs for stable steps. */
export function createExecutor(addon: GpuAddon, opts: CreateExecutorOptions): GraphExecutor {
  const allocator = new CachingAllocator(addon, opts.memoryLimitBytes ?? null);
  const staging = new PinnedStaging(addon, opts.stagingBytes);
  return new GraphExecutor({ addon, allocator, staging, cudaGraphs: opts.cudaGraphs, stableSteps: opts.stableSteps });
}
