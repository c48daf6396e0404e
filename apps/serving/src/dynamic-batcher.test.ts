// The batching policy and the batcher, on a fake clock: no sleeping, every timer fired by hand.
import { describe, expect, it } from 'vitest';
import { DynamicBatcher, decideBatch, type BatchingConfig, type Clock } from './dynamic-batcher.js';
import { ServingError } from './errors.js';

class FakeClock implements Clock {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  pending() {
    return this.timers.length;
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

const cfg = (over: Partial<BatchingConfig> = {}) => ({
  maxBatchRows: 8,
  maxQueueDelayMs: 5,
  preferredBatchSizes: [] as number[],
  maxInFlightBatches: 1,
  eager: false,
  ...over,
});
const q = (...rows: number[]) => rows.map((r) => ({ rows: r, enqueuedAt: 0 }));

describe('decideBatch (the policy)', () => {
  it('counts rows, not requests: runs when rows fill maxBatchRows, never splitting a request', () => {
    expect(decideBatch(q(3, 3), 0, 1, 0, cfg())).toEqual({ kind: 'wait', untilMs: 5 });
    expect(decideBatch(q(3, 3, 2), 0, 1, 0, cfg())).toEqual({ kind: 'run', requests: 3, rows: 8, reason: 'full' });
    // the next request would not fit: run the 6 rows that do
    expect(decideBatch(q(3, 3, 4), 0, 1, 0, cfg())).toEqual({ kind: 'run', requests: 2, rows: 6, reason: 'full' });
    // a request larger than maxBatchRows runs alone
    expect(decideBatch(q(20, 1), 0, 1, 0, cfg())).toEqual({ kind: 'run', requests: 1, rows: 20, reason: 'full' });
    // `start` skips what already left the queue
    expect(decideBatch(q(8, 1), 1, 1, 0, cfg())).toEqual({ kind: 'wait', untilMs: 5 });
  });

  it('runs after maxQueueDelayMs with what it has', () => {
    expect(decideBatch(q(1, 2), 0, 4.9, 0, cfg())).toEqual({ kind: 'wait', untilMs: 5 });
    expect(decideBatch(q(1, 2), 0, 5, 0, cfg())).toEqual({ kind: 'run', requests: 2, rows: 3, reason: 'delay' });
  });

  it('runs the largest prefix that makes a preferred size at once', () => {
    const c = cfg({ preferredBatchSizes: [2, 4] });
    expect(decideBatch(q(1, 1, 2, 1), 0, 0, 0, c)).toEqual({ kind: 'run', requests: 3, rows: 4, reason: 'preferred' });
    expect(decideBatch(q(1, 2), 0, 0, 0, c)).toEqual({ kind: 'wait', untilMs: 5 });
  });

  it('eager: runs at once when nothing computes, gathers while something does', () => {
    const c = cfg({ eager: true, maxInFlightBatches: 2 });
    expect(decideBatch(q(1), 0, 0, 0, c)).toEqual({ kind: 'run', requests: 1, rows: 1, reason: 'idle' });
    expect(decideBatch(q(1), 0, 0, 1, c)).toEqual({ kind: 'wait', untilMs: 5 });
    expect(decideBatch(q(1), 0, 0, 2, c)).toEqual({ kind: 'none' });
    expect(decideBatch([], 0, 0, 0, c)).toEqual({ kind: 'none' });
  });
});

describe('DynamicBatcher', () => {
  function setup(over: Partial<BatchingConfig> = {}) {
    const clock = new FakeClock();
    const batches: number[][] = [];
    const pending: Array<() => void> = [];
    const b = new DynamicBatcher<number, number>(
      'model m v1',
      { maxBatchRows: 8, maxQueueDelayMs: 5, queueCapacityRows: 10, timeoutMs: 100, eager: true, ...over },
      (items) => {
        batches.push(items);
        return new Promise((resolve) => pending.push(() => resolve(items.map((x) => x * 10))));
      },
      clock,
    );
    return { clock, batches, pending, b };
  }

  it('eager flush: the first request runs at once; the rest gather into one batch while it computes', async () => {
    const { batches, pending, b } = setup();
    const first = b.submit(1, 1);
    expect(batches).toEqual([[1]]);
    const rest = [b.submit(2, 2), b.submit(3, 3)];
    expect(batches.length).toBe(1);
    pending.shift()!();
    expect(await first).toBe(10);
    expect(batches).toEqual([[1], [2, 3]]);
    pending.shift()!();
    expect(await Promise.all(rest)).toEqual([20, 30]);
  });

  it('non-eager: waits maxQueueDelayMs on the fake clock, then runs what it has', async () => {
    const { clock, batches, pending, b } = setup({ eager: false });
    const p = [b.submit(1, 1), b.submit(2, 1)];
    clock.advance(4);
    expect(batches).toEqual([]);
    clock.advance(1);
    expect(batches).toEqual([[1, 2]]);
    pending.shift()!();
    expect(await Promise.all(p)).toEqual([10, 20]);
  });

  it('answers requests whose deadline passed while queued with 504 ATL_DEADLINE_EXCEEDED, without computing them', async () => {
    const { clock, batches, pending, b } = setup({ timeoutMs: 50 });
    const running = b.submit(1, 1); // computing, holds the runtime
    const late = b.submit(2, 1);
    const lateErr = late.then(() => null, (e: ServingError) => e);
    const fresh = b.submit(3, 1, 500);
    clock.advance(50);
    const err = (await lateErr)!;
    expect(err).toBeInstanceOf(ServingError);
    expect(err.code).toBe('ATL_DEADLINE_EXCEEDED');
    expect(err.statusCode).toBe(504);
    pending.shift()!();
    await running;
    await flush();
    expect(batches).toEqual([[1], [3]]); // 2 never computed
    pending.shift()!();
    expect(await fresh).toBe(30);
    expect(b.snapshot().expired).toBe(1);
  });

  it('refuses rows beyond queueCapacityRows with 503 ATL_QUEUE_FULL and Retry-After', async () => {
    const { pending, b } = setup();
    const running = b.submit(1, 1); // computing, not queued
    const queued = [b.submit(2, 6), b.submit(3, 4)]; // 10 rows queued = capacity
    const err = (await b.submit(4, 1).catch((e) => e)) as ServingError;
    expect(err.code).toBe('ATL_QUEUE_FULL');
    expect(err.statusCode).toBe(503);
    expect(Number(err.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(b.snapshot()).toMatchObject({ queuedRows: 10, refused: 1 });
    pending.shift()!();
    await running;
    // 6 + 4 > 8 rows: two batches
    pending.shift()!();
    await flush();
    pending.shift()!();
    expect(await Promise.all(queued)).toEqual([20, 30]);
  });

  it('passes a failing batch’s error to each of its requests and keeps serving', async () => {
    const clock = new FakeClock();
    let fail = true;
    const b = new DynamicBatcher<number, number>('m', { eager: true }, async (items) => {
      if (fail) throw new Error('boom');
      return items;
    }, clock);
    await expect(b.submit(1, 1)).rejects.toThrow('boom');
    fail = false;
    expect(await b.submit(2, 1)).toBe(2);
  });

  it('drain computes everything queued, then refuses new requests', async () => {
    const { pending, b } = setup({ eager: false });
    const p = [b.submit(1, 1), b.submit(2, 1)];
    const drained = b.drain();
    pending.shift()!();
    await drained;
    expect(await Promise.all(p)).toEqual([10, 20]);
    await expect(b.submit(3, 1)).rejects.toMatchObject({ code: 'ATL_SHUTTING_DOWN' });
  });

  it('rejects bad settings naming the field', () => {
    expect(() => new DynamicBatcher('m', { maxBatchRows: 0 }, async () => [])).toThrow(/maxBatchRows/);
    expect(() => new DynamicBatcher('m', { maxBatchRows: 4, preferredBatchSizes: [8] }, async () => [])).toThrow(/preferredBatchSizes/);
  });
});
