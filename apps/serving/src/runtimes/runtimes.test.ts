// Both runtimes on real models: the checked-in ONNX fixture (expected values computed by the fixture
// script's weights in NumPy) and an engine bundle trained here with the engine's fit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OnnxModelRuntime } from './onnx-runtime.js';
import { EngineModelRuntime } from './engine-runtime.js';
import { trainTinyBundle } from '../testing/engine-fixture.js';

const ONNX = readFileSync(new URL('../../../../test/fixtures/tiny-mlp.onnx', import.meta.url));
// /usr/bin/python3: the weights of test/fixtures/make-tiny-mlp-onnx.py, sigmoid(relu(X·w1)·w2) for
// X = [[1,2,3,4],[0,0,0,0],[-1,0.5,2,-3]].
const X = [
  [1, 2, 3, 4],
  [0, 0, 0, 0],
  [-1, 0.5, 2, -3],
];
const EXPECTED = [0.21884045004844666, 0.5, 0.12866556644439697];

describe('ONNX runtime', () => {
  it('predicts the tiny MLP fixture: a vector input named like the graph input', async () => {
    const rt = await OnnxModelRuntime.load(ONNX, {
      inputs: [{ name: 'features', dtype: 'float32', shape: [4] }],
      outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
    });
    expect(rt.outputNames).toEqual(['probability']);
    const out = await rt.run(X.map((features) => ({ features })));
    expect(Array.from(out)).toHaveLength(3);
    out.forEach((v, i) => expect(v).toBeCloseTo(EXPECTED[i], 5));
    await rt.release();
    expect(rt.released).toBe(true);
    await expect(rt.run([{ features: X[0] }])).rejects.toThrow(/after release/);
  });

  it('packs named scalar inputs, in signature order, into the single graph input [N, F]', async () => {
    const rt = await OnnxModelRuntime.load(ONNX, {
      inputs: ['a', 'b', 'c', 'd'].map((name) => ({ name, dtype: 'float32' as const, shape: [] })),
      outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
    });
    const out = await rt.run(X.map(([a, b, c, d]) => ({ a, b, c, d })));
    out.forEach((v, i) => expect(v).toBeCloseTo(EXPECTED[i], 5));
    expect(rt.validate([{ a: 1, b: 'x', c: 3 }, { a: 1, b: 2, c: 3, d: 4, e: 5 }])).toEqual([
      { field: 'instances[0].b', message: 'expected a number, got "x"' },
      { field: 'instances[0].d', message: 'is required' },
      { field: 'instances[1].e', message: 'is not an input of this model' },
    ]);
    await rt.release();
  });
  it('computes large batches on its compute thread with the same answers as inline, and release stops the thread', async () => {
    const signature = { inputs: [{ name: 'features', dtype: 'float32' as const, shape: [4] }], outputs: [{ name: 'probability', shape: [1] }] };
    const threaded = await OnnxModelRuntime.load(ONNX, signature, { workerThreads: 1, workerMinRows: 3 });
    const inline = await OnnxModelRuntime.load(ONNX, signature, { workerThreads: 0 });
    try {
      expect(threaded.threadCount).toBe(1);
      expect(inline.threadCount).toBe(0);
      const rows = Array.from({ length: 50 }, (_, i) => ({ features: X[i % 3] }));
      const [onThread, onLoop, small] = await Promise.all([threaded.run(rows), inline.run(rows), threaded.run(rows.slice(0, 2))]);
      expect(Array.from(onThread)).toEqual(Array.from(onLoop));
      onThread.forEach((v, i) => expect(v).toBeCloseTo(EXPECTED[i % 3], 5));
      small.forEach((v, i) => expect(v).toBeCloseTo(EXPECTED[i], 5));
    } finally {
      await threaded.release();
      await inline.release();
    }
    expect(threaded.threadCount).toBe(0);
    await expect(threaded.run([{ features: X[0] }])).rejects.toThrow(/after release/);
  });
});

describe('engine bundle runtime', () => {
  it('matches the engine’s in-process predictions, inline and on its worker thread, with missing values by the bundle’s rules', async () => {
    const trained = await trainTinyBundle(3);
    const rt = await EngineModelRuntime.load(trained.bytes, { workerThreads: 1, workerMinRows: 4 });
    try {
      expect(rt.inputs.map((f) => f.name)).toEqual(['age', 'plan']);
      expect(rt.outputNames).toEqual(['probability']);
      expect(rt.task).toBe('binary');
      const instances = [
        { age: 25, plan: 'basic' },
        { age: 60, plan: 'basic' },
        { age: 30, plan: 'pro' },
        { age: null, plan: 'never-seen' }, // mean rule + out-of-vocabulary
        { plan: 'basic' },
      ];
      const expected = trained.reference(instances);
      const small = await rt.run(instances.slice(0, 2)); // inline
      const big = await rt.run(instances); // worker thread
      expect(rt.threadCount).toBe(1);
      small.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
      big.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
      expect(big[1]).toBeGreaterThan(big[0]); // it learned: older → more likely
      expect(rt.validate([{ age: 'old', plan: 3 }])).toEqual([
        { field: 'instances[0].age', message: 'expected a number, got "old"' },
        { field: 'instances[0].plan', message: 'expected a string, got 3' },
      ]);
    } finally {
      await rt.release();
    }
    expect(rt.released).toBe(true);
    expect(rt.threadCount).toBe(0);
    await expect(rt.run([{ age: 1, plan: 'x' }])).rejects.toThrow(/after release/);
  });
});
