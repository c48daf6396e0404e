import { describe, expect, it } from 'vitest';
import { addon, skipReason } from './testing/native-under-test.js';

describe('native addon', () => {
  it.skipIf(process.env.CI !== 'true')('builds at npm install and loads in CI', () => {
    expect(skipReason).toBeNull();
  });

  it.skipIf(!addon)('reports the GEMM micro-kernel chosen from the CPU features', () => {
    const info = addon!.info();
    expect(['avx512', 'avx2', 'portable']).toContain(info.isa);
    const forced = process.env.ATELIER_ENGINE_CPU_ISA;
    const best = info.avx512f ? 'avx512' : info.avx2 ? 'avx2' : 'portable';
    // A forced ISA the CPU lacks falls back to the best one it has.
    const want = forced === 'portable' || (forced === 'avx2' && info.avx2) ? forced : best;
    expect(info.isa).toBe(want);
  });

  it.skipIf(!addon)('rejects arrays that are too short instead of reading past them', () => {
    const a = new Float32Array(4), b = new Float32Array(4);
    expect(() => addon!.sgemm(3, 2, 2, a, false, b, false, new Float32Array(6), null, 0)).toThrow(/a must be a Float32Array of at least M\*K/);
    expect(() => addon!.sgemm(2, 2, 2, a, false, b, false, new Float32Array(3), null, 0)).toThrow(/c must be/);
    expect(() => addon!.sgemm(2, 2, 2, new Float64Array(4) as unknown as Float32Array, false, b, false, new Float32Array(4), null, 0)).toThrow(TypeError);
    expect(() => addon!.adam(new Float32Array(4), new Float32Array(2), new Float32Array(4), new Float32Array(4), Int32Array.of(5), 2, 0.1, 0.9, 0.999, 1e-8, 1, 0, 0, false)).toThrow(/row id outside/);
  });
});
