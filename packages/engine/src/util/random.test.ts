import { describe, expect, it } from 'vitest';
import { Random, hashSeed } from './random.js';

describe('Random', () => {
  it('matches the xoshiro128** reference implementation for state {1,2,3,4}', () => {
    const r = Random.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => r.nextUint32());
    // From the C reference (prng.di.unimi.it/xoshiro128starstar.c), compiled and run once.
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    const sb = Array.from({ length: 100 }, () => b.next());
    const sc = Array.from({ length: 100 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    // seeds beyond 2^32 keep their high bits
    expect(new Random(2 ** 40).next()).not.toBe(new Random(0).next());
  });

  it('round-trips its state through JSON, including a pending normal spare', () => {
    const r = new Random(7);
    for (let i = 0; i < 13; i++) r.next();
    r.normal(); // leaves a spare pending
    const saved = JSON.parse(JSON.stringify(r.getState())) as number[];
    const expected = [r.normal(), r.next(), r.nextInt(1000), r.normal(), r.normal()];
    const restored = Random.fromState(saved);
    const got = [restored.normal(), restored.next(), restored.nextInt(1000), restored.normal(), restored.normal()];
    expect(got).toEqual(expected);
  });

  it('rejects invalid state', () => {
    expect(() => new Random(1).setState([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => new Random(1).setState([1, 2])).toThrow(/expected 4 or 6/);
    expect(() => new Random(1).setState([1, 2, 3, -4])).toThrow(/uint32/);
  });

  it('next() is roughly uniform in [0,1)', () => {
    const r = new Random(123);
    const n = 100_000;
    const bins = new Int32Array(10);
    let sum = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outOfRange++;
      bins[Math.floor(x * 10)]++;
      sum += x;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    // chi-square with 9 dof: 99.9th percentile is 27.9
    let chi = 0;
    for (let b = 0; b < 10; b++) chi += (bins[b] - n / 10) ** 2 / (n / 10);
    expect(chi).toBeLessThan(27.9);
  });

  it('nextInt covers [0,n) evenly and validates n', () => {
    const r = new Random(5);
    const counts = new Int32Array(7);
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => r.nextInt(0)).toThrow();
    expect(() => r.nextInt(2.5)).toThrow();
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Random(9);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(0.02);
  });

  it('shuffle is a seeded permutation', () => {
    const a = new Int32Array(50).map((_, i) => i);
    const b = new Int32Array(50).map((_, i) => i);
    new Random(1).shuffle(a);
    new Random(1).shuffle(b);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const arr = [1, 2, 3];
    new Random(3).shuffle(arr);
    expect(arr.slice().sort()).toEqual([1, 2, 3]);
  });

  it('shuffle gives every position to every element about equally often', () => {
    const r = new Random(77);
    const counts = new Int32Array(16); // counts[elem*4 + pos]
    const arr = new Int32Array(4);
    for (let t = 0; t < 40_000; t++) {
      for (let i = 0; i < 4; i++) arr[i] = i;
      r.shuffle(arr);
      for (let p = 0; p < 4; p++) counts[arr[p] * 4 + p]++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('fork gives a reproducible stream that differs from the parent', () => {
    const p1 = new Random(11);
    const p2 = new Random(11);
    const c1 = p1.fork();
    const c2 = p2.fork();
    const s1 = Array.from({ length: 20 }, () => c1.nextUint32());
    expect(Array.from({ length: 20 }, () => c2.nextUint32())).toEqual(s1);
    const parent = Array.from({ length: 20 }, () => p1.nextUint32());
    expect(parent).not.toEqual(s1);
    // two successive forks differ
    const c3 = p1.fork();
    expect(Array.from({ length: 20 }, () => c3.nextUint32())).not.toEqual(s1);
  });
});

describe('hashSeed', () => {
  it('is stable, order- and boundary-sensitive, and type-aware', () => {
    expect(hashSeed('job', 1, 'epoch', 3)).toBe(hashSeed('job', 1, 'epoch', 3));
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
    expect(hashSeed(1, 2)).not.toBe(hashSeed(2, 1));
    expect(hashSeed('1')).not.toBe(hashSeed(1));
    const h = hashSeed('x');
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    const seen = new Set<number>();
    for (let e = 0; e < 1000; e++) seen.add(hashSeed(42, 'shuffle', e));
    expect(seen.size).toBe(1000);
  });
});
