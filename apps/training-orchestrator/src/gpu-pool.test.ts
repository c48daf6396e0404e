import { describe, expect, it } from 'vitest';
import { GpuPool } from './gpu-pool.js';

const device = (index: number) => ({ index, name: `GPU ${index}`, totalMemory: 1 << 30, computeCapability: '9.0', multiProcessors: 132 });

describe('GpuPool', () => {
  it('hands out each GPU once, lowest index first, and takes them back', () => {
    const pool = new GpuPool([device(0), device(1)]);
    expect(pool.freeCount).toBe(2);
    expect(pool.acquire()).toBe(0);
    expect(pool.acquire()).toBe(1);
    expect(pool.acquire()).toBeUndefined();
    expect(pool.freeCount).toBe(0);
    pool.release(1);
    pool.release(0);
    expect(pool.freeCount).toBe(2);
    expect(pool.acquire()).toBe(0);
    expect(pool.device(1)?.name).toBe('GPU 1');
  });

  it('refuses to take back a GPU that is free or not its own', () => {
    const pool = new GpuPool([device(0)]);
    expect(() => pool.release(0)).toThrow('GPU 0 is not taken from this pool');
    pool.acquire();
    expect(() => pool.release(3)).toThrow('GPU 3 is not taken from this pool');
  });

  it('offers nothing without GPUs', () => {
    expect(new GpuPool([]).acquire()).toBeUndefined();
  });
});
