// GraphExecutor on the host emulator (the GPU addon's test fake: this machine has no GPU). A small
// training program (linear regression with SGD: a batch written each step, the loss read between the
// backward and the update, the learning rate written as device data) runs through the executor
// directly; a run with CUDA Graphs must give bit-identical losses and parameters to an eager run.
import { describe, expect, it } from 'vitest';
import { CachingAllocator } from './device-allocator.js';
import { EagerExecutor } from './eager-executor.js';
import type { GpuAddon } from './gpu-addon.js';
import { PinnedStaging } from './pinned-staging.js';
import { createExecutor, GraphExecutor } from './step-graphs.js';
import type { DeviceBlock, StepExecutor } from './step-executor.js';
import { createHostEmulator, type HostEmulator } from './testing/host-emulator.js';

const K = 3, N = 2;

interface Model { W: DeviceBlock; b: DeviceBlock; vW: DeviceBlock; vb: DeviceBlock }

function batch(step: number, B: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(B * K), y = new Float32Array(B * N);
  for (let i = 0; i < B; i++) {
    for (let k = 0; k < K; k++) x[i * K + k] = Math.sin(step * 7 + i * 3 + k);
    y[i * N] = x[i * K] - 2 * x[i * K + 1] + 0.5;
    y[i * N + 1] = 3 * x[i * K + 2] - 1;
  }
  return { x, y };
}

function setup(ex: StepExecutor): Model {
  const W = ex.alloc(K * N * 4), b = ex.alloc(N * 4), vW = ex.alloc(K * N * 4), vb = ex.alloc(N * 4);
  ex.write(W, new Float32Array(K * N).fill(0.1));
  ex.write(b, new Float32Array(N));
  ex.write(vW, new Float32Array(K * N));
  ex.write(vb, new Float32Array(N));
  return { W, b, vW, vb };
}

interface StepOptions { B: number; keep?: boolean; uncapturable?: boolean; extra?: boolean }

/** One SGD step; returns the loss (and the kept prediction block when asked). */
function trainStep(ex: StepExecutor, a: GpuAddon, m: Model, step: number, o: StepOptions): { loss: number; kept: DeviceBlock | null } {
  const { B } = o;
  const { x, y } = batch(step, B);
  const launch = (sig: string, run: () => void) => ex.launch(sig, run);
  ex.beginStep();
  let ok = false;
  try {
    const X = ex.alloc(B * K * 4), Y = ex.alloc(B * N * 4);
    ex.write(X, x);
    ex.write(Y, y);
    const P = ex.alloc(B * N * 4);
    launch(`gemm ${B} ${N} ${K} ${X.ptr} ${m.W.ptr} ${P.ptr} bias=${m.b.ptr}`, () => a.gemm(B, N, K, X.ptr, false, m.W.ptr, false, P.ptr, m.b.ptr, 0, 2, 0, 0, 0));
    const D = ex.alloc(B * N * 4);
    launch(`sub ${P.ptr} ${Y.ptr} ${D.ptr} ${B * N}`, () => a.binary(1, 0, P.ptr, Y.ptr, D.ptr, B * N, 0));
    if (!o.keep) ex.free(P);
    ex.free(Y);
    const L = ex.alloc(4);
    launch(`sumSquares ${D.ptr} ${B * N} ${L.ptr}`, () => a.sumSquares(D.ptr, B * N, L.ptr));
    const l = new Float32Array(1);
    ex.read(L, l);
    ex.free(L);
    if (o.uncapturable) ex.markUncapturable('a host fallback kernel');
    const scale = 2 / B;
    const G = ex.alloc(K * N * 4), GB = ex.alloc(N * 4);
    launch(`gemmTA ${K} ${N} ${B} ${X.ptr} ${D.ptr} ${G.ptr}`, () => a.gemm(K, N, B, X.ptr, true, D.ptr, false, G.ptr, 0, 0, 2, 0, 0, 0));
    launch(`sumRows ${D.ptr} ${B} ${N} ${GB.ptr}`, () => a.sumRows(D.ptr, B, N, GB.ptr));
    // Control flow after the loss read (like clipping): an extra launch after work the plan deferred.
    if (o.extra) launch(`double ${G.ptr}`, () => a.binary(0, 0, G.ptr, G.ptr, G.ptr, K * N, 0));
    const S = ex.alloc(36);
    ex.write(S, new Float32Array([0.05 * scale / (1 + 0.1 * step), 0, 0, 0, 0, 0, 0, 0, 0.5])); // a schedule: new lr each step; momentum 0.5
    launch(`sgd ${m.W.ptr} ${G.ptr} ${m.vW.ptr} ${K * N} ${S.ptr}`, () => a.sgd(m.W.ptr, G.ptr, m.vW.ptr, 0, 0, 0, K * N, S.ptr, false));
    launch(`sgd ${m.b.ptr} ${GB.ptr} ${m.vb.ptr} ${N} ${S.ptr}`, () => a.sgd(m.b.ptr, GB.ptr, m.vb.ptr, 0, 0, 0, N, S.ptr, false));
    for (const blk of [X, D, G, GB, S]) ex.free(blk);
    ok = true;
    return { loss: l[0], kept: o.keep ? P : null };
  } finally {
    ex.endStep(ok);
  }
}

function params(ex: StepExecutor, m: Model): number[] {
  const w = new Float32Array(K * N), b = new Float32Array(N);
  ex.read(m.W, w);
  ex.read(m.b, b);
  return [...w, ...b];
}

function eagerRun(steps: StepOptions[]): { losses: number[]; params: number[] } {
  const emu = createHostEmulator();
  const ex = new EagerExecutor({ addon: emu, allocator: new CachingAllocator(emu), staging: new PinnedStaging(emu) });
  const m = setup(ex);
  const losses = steps.map((o, i) => trainStep(ex, emu, m, i, o).loss);
  return { losses, params: params(ex, m) };
}

function graphRun(steps: StepOptions[], opts: { stream?: 'deferred'; stableSteps?: number; cudaGraphs?: boolean } = {}) {
  const emu = createHostEmulator({ stream: opts.stream });
  const ex = createExecutor(emu, { cudaGraphs: opts.cudaGraphs ?? true, stableSteps: opts.stableSteps });
  const m = setup(ex);
  const losses: number[] = [];
  const perStep: { stats: ReturnType<GraphExecutor['stats']>; emu: ReturnType<HostEmulator['emulatorStats']> }[] = [];
  steps.forEach((o, i) => {
    losses.push(trainStep(ex, emu, m, i, o).loss);
    perStep.push({ stats: ex.stats(), emu: emu.emulatorStats() });
  });
  return { emu, ex, m, losses, params: params(ex, m), perStep };
}

const same = (n: number, B = 8): StepOptions[] => Array.from({ length: n }, () => ({ B }));

describe('GraphExecutor', () => {
  it('captures a stable step after N eager steps and replays it with the same numbers as eager execution', () => {
    const steps = same(8);
    const eager = eagerRun(steps);
    const g = graphRun(steps);
    expect(g.losses).toEqual(eager.losses);
    expect(g.params).toEqual(eager.params);
    expect(g.ex.stats()).toEqual({ eagerSteps: 2, capturedSteps: 1, replayedSteps: 5, segments: 2, reason: null });
    expect(g.perStep[1].stats.reason).toBe('capturing at the next step');
    expect(g.perStep[0].stats.reason).toMatch(/not yet stable \(1 of 2/);
  });

  it('a replayed step launches no kernel of its own: two graph launches (the loss read splits the step)', () => {
    const g = graphRun(same(6));
    const before = g.perStep[4].emu, after = g.perStep[5].emu;
    expect(after.kernelLaunches - before.kernelLaunches).toBe(0);
    expect(after.copies - before.copies).toBe(0);
    expect(after.capturedOps - before.capturedOps).toBe(0);
    expect(after.graphLaunches - before.graphLaunches).toBe(2);
    expect(after.graphNodesRun - before.graphNodesRun).toBe(10); // 2 writes + 3 kernels | 2 kernels + 1 write + 2 kernels
    expect(after.mallocs - before.mallocs).toBe(0);
    // The eager steps did launch kernels one by one.
    expect(g.perStep[1].emu.kernelLaunches - g.perStep[0].emu.kernelLaunches).toBe(7);
  });

  it('steps whose shapes keep changing never capture', () => {
    const steps = [8, 9, 8, 9, 8, 9].map((B) => ({ B }));
    const g = graphRun(steps);
    expect(g.losses).toEqual(eagerRun(steps).losses);
    expect(g.ex.stats()).toMatchObject({ eagerSteps: 6, capturedSteps: 0, replayedSteps: 0, segments: 0 });
    expect(g.ex.stats().reason).toMatch(/not yet stable/);
    expect(g.emu.emulatorStats().graphLaunches).toBe(0);
  });

  it('a step that diverges from the plan falls back to eager execution and re-plans later', () => {
    const steps: StepOptions[] = [...same(5), { B: 5 }, ...same(5)];
    const eager = eagerRun(steps);
    const g = graphRun(steps);
    expect(g.losses).toEqual(eager.losses);
    expect(g.params).toEqual(eager.params);
    expect(g.perStep[5].stats.reason).toMatch(/^diverged at event 0/);
    // steps 0,1 eager; 2 captured; 3,4 replayed; 5 diverged (eager); 6,7 eager; 8 captured; 9,10 replayed
    expect(g.ex.stats()).toMatchObject({ eagerSteps: 5, capturedSteps: 2, replayedSteps: 4, reason: null });
  });

  it('divergence in the middle of a segment runs its deferred launches eagerly', () => {
    // The extra launch comes after the plan's deferred gemmTA and sumRows (second segment); then the
    // plan made with the extra launch meets a step without it.
    const steps: StepOptions[] = [...same(4), { B: 8, extra: true }, ...Array.from({ length: 4 }, () => ({ B: 8, extra: true })), ...same(3)];
    const eager = eagerRun(steps);
    const g = graphRun(steps);
    expect(g.losses).toEqual(eager.losses);
    expect(g.params).toEqual(eager.params);
    expect(g.ex.stats()).toMatchObject({ capturedSteps: 3, replayedSteps: 3, eagerSteps: 6 });
    const reasons = g.perStep.map((s) => s.stats.reason ?? '');
    expect(reasons.some((r) => /^diverged at event \d+ \(launch double/.test(r))).toBe(true); // extra launch after deferred gemmTA, sumRows
    expect(reasons.some((r) => /^diverged at event \d+ \(alloc 36/.test(r))).toBe(true); // plan had the extra launch, this step has not
  });

  it('host writes each step (new batches, a new learning rate) are what replays compute with, on a device that runs behind the host', () => {
    const steps = same(10);
    const eager = eagerRun(steps);
    const g = graphRun(steps, { stream: 'deferred' });
    expect(g.losses).toEqual(eager.losses);
    expect(g.params).toEqual(eager.params);
    expect(g.ex.stats().replayedSteps).toBe(7);
  });

  it('a pinned slot is refilled only after the replay that copies it has run', () => {
    // No read inside the step: each step's graph is still queued when the next step writes its batch.
    const emu = createHostEmulator({ stream: 'deferred' });
    const ex = createExecutor(emu, { cudaGraphs: true });
    const acc = ex.alloc(16);
    ex.write(acc, new Float32Array(4));
    for (let i = 0; i < 8; i++) {
      ex.beginStep();
      const x = ex.alloc(16);
      ex.write(x, new Float32Array([i, 2 * i, 3 * i, 4 * i]));
      ex.launch(`add ${acc.ptr} ${x.ptr}`, () => emu.binary(0, 0, acc.ptr, x.ptr, acc.ptr, 4, 0));
      ex.free(x);
      ex.endStep(true);
    }
    expect(ex.stats()).toMatchObject({ capturedSteps: 1, replayedSteps: 5, segments: 1 });
    expect(ex.slotWaits()).toBeGreaterThan(0);
    const out = new Float32Array(4);
    ex.read(acc, out);
    expect([...out]).toEqual([28, 56, 84, 112]);
  });

  it('a step that keeps a block past its end is not captured', () => {
    const emu = createHostEmulator();
    const ex = createExecutor(emu, { cudaGraphs: true });
    const m = setup(ex);
    for (let i = 0; i < 5; i++) {
      const { kept } = trainStep(ex, emu, m, i, { B: 4, keep: true });
      ex.free(kept as DeviceBlock);
    }
    expect(ex.stats()).toMatchObject({ eagerSteps: 5, capturedSteps: 0 });
    expect(ex.stats().reason).toMatch(/outlive/);
  });

  it('a replayed step that keeps an arena block leaves the plan; the block stays valid until freed', () => {
    const emu = createHostEmulator();
    const ex = createExecutor(emu, { cudaGraphs: true });
    const m = setup(ex);
    for (let i = 0; i < 4; i++) trainStep(ex, emu, m, i, { B: 4 });
    expect(ex.stats().replayedSteps).toBe(1);
    const reserved = ex.allocator.stats().allocatedBytes;
    const { kept } = trainStep(ex, emu, m, 4, { B: 4, keep: true });
    expect(ex.stats().reason).toMatch(/outlive/);
    const pred = new Float32Array(8);
    ex.read(kept as DeviceBlock, pred);
    // Recompute the prediction of step 4 from its batch and the parameters before its update: any
    // reuse of the arena would have overwritten it.
    const eager = createHostEmulator();
    const ee = new EagerExecutor({ addon: eager, allocator: new CachingAllocator(eager), staging: new PinnedStaging(eager) });
    const em = setup(ee);
    for (let i = 0; i < 4; i++) trainStep(ee, eager, em, i, { B: 4 });
    const { kept: ek } = trainStep(ee, eager, em, 4, { B: 4, keep: true });
    const epred = new Float32Array(8);
    ee.read(ek as DeviceBlock, epred);
    expect([...pred]).toEqual([...epred]);
    trainStep(ex, emu, m, 5, { B: 4 }); // arena still held by the kept block
    expect(ex.allocator.stats().allocatedBytes).toBeGreaterThanOrEqual(reserved);
    const held = ex.allocator.stats().allocatedBytes;
    ex.free(kept as DeviceBlock); // last block of the dropped plan's arena: the arena goes back
    expect(ex.allocator.stats().allocatedBytes).toBeLessThan(held);
  });

  it('an uncapturable step (a host fallback) stays eager', () => {
    const steps = Array.from({ length: 6 }, () => ({ B: 8, uncapturable: true }));
    const g = graphRun(steps);
    expect(g.ex.stats()).toMatchObject({ eagerSteps: 6, capturedSteps: 0, reason: 'a host fallback kernel' });
    expect(g.losses).toEqual(eagerRun(steps).losses);
  });

  it('a fallback in a replayed step diverges and keeps the numbers right', () => {
    const steps: StepOptions[] = [...same(5), { B: 8, uncapturable: true }, ...same(2)];
    const g = graphRun(steps);
    expect(g.losses).toEqual(eagerRun(steps).losses);
    expect(g.perStep[4].stats).toMatchObject({ capturedSteps: 1, replayedSteps: 2 });
    expect(g.perStep[5].stats).toMatchObject({ eagerSteps: 3, replayedSteps: 2, reason: 'a host fallback kernel' });
  });

  it('ATELIER_GPU_CUDA_GRAPHS=0 keeps it eager', () => {
    const g = graphRun(same(5), { cudaGraphs: false });
    expect(g.ex.stats()).toEqual({ eagerSteps: 5, capturedSteps: 0, replayedSteps: 0, segments: 0, reason: 'CUDA Graphs disabled' });
    expect(g.emu.emulatorStats().graphLaunches).toBe(0);
  });

  it('a step that throws is not replayed into, and stableSteps is configurable', () => {
    const emu = createHostEmulator();
    const ex = createExecutor(emu, { cudaGraphs: true, stableSteps: 3 });
    const m = setup(ex);
    for (let i = 0; i < 3; i++) trainStep(ex, emu, m, i, { B: 4 });
    expect(ex.stats().capturedSteps).toBe(0);
    trainStep(ex, emu, m, 3, { B: 4 });
    expect(ex.stats().capturedSteps).toBe(1);
    // A replayed step that throws after its read: its deferred launches run eagerly, the plan goes.
    ex.beginStep();
    const X = ex.alloc(4 * K * 4);
    ex.write(X, new Float32Array(4 * K));
    ex.endStep(false);
    ex.free(X);
    expect(ex.stats().reason).toBe('the step threw');
    expect(ex.stats().replayedSteps).toBe(0);
  });

  it('a segment that cannot be captured runs eagerly, and that step shape stays eager', () => {
    const emu = createHostEmulator();
    const ex = createExecutor(emu, { cudaGraphs: true });
    const acc = ex.alloc(4);
    ex.write(acc, new Float32Array([1]));
    for (let i = 0; i < 5; i++) {
      ex.beginStep();
      // A launch that synchronises (as a careless thunk might): fine eagerly, invalid in a capture.
      ex.launch(`double ${acc.ptr}`, () => { emu.binary(0, 0, acc.ptr, acc.ptr, acc.ptr, 1, 0); emu.synchronize(); });
      ex.endStep(true);
    }
    const out = new Float32Array(1);
    ex.read(acc, out);
    expect(out[0]).toBe(32); // doubled once per step: the failed capture's launch ran exactly once, eagerly
    expect(ex.stats()).toMatchObject({ eagerSteps: 5, capturedSteps: 0, replayedSteps: 0 });
    expect(ex.stats().reason).toMatch(/^capture failed: .*capturing/);
    expect(emu.capturing()).toBe(false);
  });

  it('no room for the arena: the step stays eager and says why', () => {
    const emu = createHostEmulator();
    // Eagerly the step needs one 1 KiB block at a time; its arena (no reuse inside a step) needs 3 KiB.
    const ex = createExecutor(emu, { cudaGraphs: true, memoryLimitBytes: 2048 });
    const acc = ex.alloc(4);
    ex.write(acc, new Float32Array([0]));
    for (let i = 0; i < 5; i++) {
      ex.beginStep();
      for (let j = 0; j < 3; j++) {
        const t = ex.alloc(1000);
        ex.write(t, new Float32Array([j + 1]));
        ex.launch(`add ${acc.ptr} ${t.ptr}`, () => emu.binary(0, 0, acc.ptr, t.ptr, acc.ptr, 1, 0));
        ex.free(t);
      }
      ex.endStep(true);
    }
    const out = new Float32Array(1);
    ex.read(acc, out);
    expect(out[0]).toBe(30);
    expect(ex.stats()).toMatchObject({ eagerSteps: 5, capturedSteps: 0 });
    expect(ex.stats().reason).toMatch(/^capture skipped: CUDA out of memory: asked 3072 bytes/);
  });

  it('outside a step it is eager: allocations come from the caching allocator, launches run at once', () => {
    const emu = createHostEmulator();
    const ex = createExecutor(emu, { cudaGraphs: true, memoryLimitBytes: 1 << 20 });
    const b = ex.alloc(16);
    ex.launch('fill', () => emu.fillF32(b.ptr, 3, 4));
    const out = new Float32Array(4);
    ex.read(b, out);
    expect([...out]).toEqual([3, 3, 3, 3]);
    expect(() => ex.write(b, new Float32Array(5))).toThrow(/do not fit/);
    ex.free(b);
    expect(() => ex.free(b)).toThrow(/double free/);
    expect(ex.allocator.stats().limitBytes).toBe(1 << 20);
    ex.dispose();
  });
});
