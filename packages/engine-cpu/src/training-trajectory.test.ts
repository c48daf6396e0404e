// A short training run on native-cpu reproduces the TS backend's loss trajectory. The only
// numerical difference is GEMM accumulation (float32 FMA vs float64), so losses agree to ~1e-6
// relative per step and drift slowly; tolerance: 1e-3 relative over 40 steps of Adam.
import { describe, expect, it } from 'vitest';
import { Mlp, Optimizer, Random, registerBackend, setBackend, trainStep } from '@atelier/engine';
import { addon } from './testing/native-under-test.js';
import { createNativeCpuBackend } from './native-backend.js';

function trajectory(backend: string, kind: 'adam' | 'sgd' | 'adamw'): number[] {
  setBackend(backend);
  const r = new Random(5);
  const n = 128, d = 24;
  const x = Float32Array.from({ length: n * d }, () => r.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * d] * x[i * d + 1] + x[i * d + 2] > 0 ? 1 : 0));
  const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: d }], hiddenUnits: [64, 64], activation: 'relu', seed: 3 });
  const opt = new Optimizer(kind === 'sgd' ? { kind, lr: 0.05, momentum: 0.9 } : { kind, lr: 0.01 });
  const losses: number[] = [];
  for (let s = 0; s < 40; s++) losses.push(trainStep(model, opt, { numRows: n, inputs: { x }, labels: y }).loss);
  model.dispose();
  return losses;
}

describe.skipIf(!addon)('training on native-cpu', () => {
  it.each(['adam', 'adamw', 'sgd'] as const)('%s: same loss trajectory as the TS backend', (kind) => {
    registerBackend('native-cpu-test', () => createNativeCpuBackend(addon!), 0);
    const ts = trajectory('cpu', kind);
    const native = trajectory('native-cpu-test', kind);
    setBackend('cpu');
    expect(native[39]).toBeLessThan(native[0] * 0.8);
    for (let i = 0; i < ts.length; i++) expect(Math.abs(native[i] - ts[i]) / ts[i], `step ${i}: ${native[i]} vs ${ts[i]}`).toBeLessThan(1e-3);
  });
});
