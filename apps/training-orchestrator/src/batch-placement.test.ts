import { describe, expect, it } from 'vitest';
import { batchPlacement } from './batch-placement.js';

const MiB = 1024 * 1024;

describe('batchPlacement', () => {
  it('on CPU (no GPU memory): nothing to decide', () => {
    expect(batchPlacement(10, undefined)).toBeNull();
  });

  it('keeps a train split of at most half the GPU memory resident, else host batches, saying why', () => {
    expect(batchPlacement(512 * MiB, 1024 * MiB)).toMatchObject({ resident: true, message: expect.stringContaining('resident on the GPU') });
    const over = batchPlacement(512 * MiB + 1, 1024 * MiB)!;
    expect(over.resident).toBe(false);
    expect(over.message).toMatch(/^train batches: host \(the train split is 512\.0 MiB, over half of the GPU's 1024\.0 MiB\)/);
  });
});
