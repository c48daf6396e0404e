// The graph planner's pure parts: keys, pointer normalisation, stability, segments, arena layout.
import { describe, expect, it } from 'vitest';
import { buildPlan, segmentsOf, StabilityTracker, StepBlocks, stepKey, type StepEvent } from './step-plan.js';

describe('StepBlocks', () => {
  it('names live step-local blocks by allocation order, interior pointers with an offset', () => {
    const b = new StepBlocks();
    const base = 0x7f0000000000;
    expect(b.add(base + 512, 100)).toBe(0);
    expect(b.add(base, 256)).toBe(1);
    expect(b.normalise(`gemm 4 5 ${base} ${base + 512} ${base + 520} 0x${(base + 600).toString(16)} 12`)).toBe('gemm 4 5 L1 L0 L0+8 L0+88 12');
    expect(b.normalise(`x ${base + 612}`)).toBe(`x ${base + 612}`); // past the 100 bytes asked
    b.remove(base + 512);
    expect(b.indexAt(base + 512)).toBeNull();
    expect(b.add(base + 512, 64)).toBe(2); // the same pointer reused later in the step is another tensor
    expect(b.normalise(`${base + 512}`)).toBe('L2');
    expect(b.normalise('123456789 persistent')).toBe('123456789 persistent');
  });

  it('gives two steps with different pointers but the same structure the same key', () => {
    const run = (base: number): string => {
      const b = new StepBlocks();
      const events: StepEvent[] = [];
      const x = base + 4096, y = base + 8192;
      b.add(x, 64); events.push({ kind: 'alloc', bytes: 64 });
      b.add(y, 64); events.push({ kind: 'alloc', bytes: 64 });
      events.push({ kind: 'launch', signature: b.normalise(`relu ${x} ${y} 16 param=${0x1234567}`) });
      return stepKey(events);
    };
    expect(run(0x7f0000000000)).toBe(run(0x7f0000100000));
  });
});

describe('StabilityTracker', () => {
  it('is stable after n identical steps; a different or uncapturable step starts over', () => {
    const t = new StabilityTracker(2);
    expect(t.push('a', true)).toBe(false);
    expect(t.push('b', true)).toBe(false);
    expect(t.push('b', true)).toBe(true);
    expect(t.push('b', false)).toBe(false);
    expect(t.push('b', true)).toBe(false);
    expect(t.push('b', true)).toBe(true);
    expect(new StabilityTracker(1).push('x', true)).toBe(true);
    expect(() => new StabilityTracker(0)).toThrow(/stableSteps/);
  });
});

describe('segments and plans', () => {
  const events: StepEvent[] = [
    { kind: 'alloc', bytes: 10 },
    { kind: 'write', ref: 'L0', bytes: 10 },
    { kind: 'launch', signature: 'a' },
    { kind: 'read', ref: 'L0', bytes: 4 },
    { kind: 'alloc', bytes: 300 },
    { kind: 'launch', signature: 'b' },
    { kind: 'write', ref: 'G99', bytes: 36 },
    { kind: 'free', ref: 'L0' },
    { kind: 'alloc', bytes: 4 },
  ];

  it('splits at each read (the read ends its segment) and counts work', () => {
    expect(segmentsOf(events)).toEqual([{ start: 0, end: 4, work: 2 }, { start: 4, end: 9, work: 2 }]);
    expect(segmentsOf(events.slice(0, 4))).toEqual([{ start: 0, end: 4, work: 2 }]);
    expect(segmentsOf([])).toEqual([{ start: 0, end: 0, work: 0 }]);
  });

  it('lays out a bump arena (no reuse after a free) and a pinned slot per write', () => {
    const p = buildPlan(events);
    expect(p.allocOffsets).toEqual([0, 256, 768]);
    expect(p.arenaBytes).toBe(1024);
    expect([...p.writeSlots]).toEqual([[1, 0], [6, 256]]);
    expect(p.pinnedBytes).toBe(512);
    expect([...p.segmentOf]).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(p.key).toBe(stepKey(events));
    expect(() => buildPlan([{ kind: 'uncapturable', reason: 'host fallback' }])).toThrow(/not capturable/);
  });
});
