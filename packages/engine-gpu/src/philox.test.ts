// Philox4x32-10 twin against Random123's published known answers (tests/kat_vectors, the three
// "philox4x32 10" lines: counter[4] key[2] → output[4]) and the dropout rule over a stream.
import { describe, expect, it } from 'vitest';
import { dropoutMask, philox4x32_10, philoxBlock, philoxUniform, philoxUniforms } from './philox.js';

const KAT: [number[], number[], number[]][] = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

describe('philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    for (const [ctr, key, want] of KAT) expect(philox4x32_10(ctr, key)).toEqual(want);
  });

  it('lays out seed and counter like philox.h (words from the header compiled with g++)', () => {
    // seed 12345, block 0; and a seed and counter with both 32-bit halves set.
    expect(philoxBlock(12345, 0)).toEqual([0xd1fa3e81, 0x2f7fea51, 0xd2ca9611, 0xe328bbe0]);
    expect(philoxBlock(0x123456789abcdefn, 0x100000002n)).toEqual([0x4743d04b, 0xa665e43b, 0x28a9f5ab, 0x3d9aab44]);
  });

  it('makes uniforms in [0, 1) from the top 24 bits', () => {
    expect(philoxUniform(0)).toBe(0);
    expect(philoxUniform(0xffffffff)).toBe(1 - 2 ** -24);
    expect(philoxUniform(0x000000ff)).toBe(0);
    expect(philoxUniform(0x00000100)).toBe(2 ** -24);
  });

  it('rejects a seed outside uint64', () => {
    expect(() => philoxBlock(-1, 0)).toThrow(/seed/);
    expect(() => philoxBlock(2n ** 64n, 0)).toThrow(/seed/);
  });
});

describe('dropout mask', () => {
  it('is u < keep → 1/keep over the stream positions offset + i', () => {
    const seed = 0xdeadbeefcafen, offset = 4097n, n = 1003, keep = 0.7;
    const mask = dropoutMask(n, keep, seed, offset);
    const scale = Math.fround(1 / Math.fround(keep));
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const p = offset + BigInt(i);
      const bits = philox4x32_10([Number(p / 4n), 0, 0, 0], [Number(seed & 0xffffffffn), Number(seed >> 32n)])[Number(p % 4n)];
      const u = (bits >>> 8) * 2 ** -24;
      expect(mask[i]).toBe(u < Math.fround(keep) ? scale : 0);
      if (mask[i] !== 0) kept++;
    }
    // 1003 Bernoulli(0.7) draws: mean 702, sd ≈ 14.5.
    expect(Math.abs(kept - 0.7 * n)).toBeLessThan(75);
  });

  it('gives the same values for a window as for the whole stream (a step at any offset)', () => {
    const whole = philoxUniforms(7, 0, 64);
    const window = philoxUniforms(7, 13, 30);
    expect(Array.from(window)).toEqual(Array.from(whole.subarray(13, 43)));
  });

  it('keeps everything at keep = 1 and refuses keep outside (0, 1]', () => {
    expect(Array.from(dropoutMask(10, 1, 3, 0))).toEqual(new Array(10).fill(1));
    expect(() => dropoutMask(4, 0, 1, 0)).toThrow(/keep/);
    expect(() => dropoutMask(4, 1.5, 1, 0)).toThrow(/keep/);
  });
});
