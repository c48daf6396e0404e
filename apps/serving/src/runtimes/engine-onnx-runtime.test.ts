// Engine bundles through their ONNX export: the same answers as the engine's predictor (within 1e-5)
// for nulls, absent fields, unseen categories and a real "" value, and the engine as the fallback for
// bundles the exporter refuses.
import { createModel, fitPreprocessor, packBundle, saveBundle, buildModelSpec, INPUT_MAPPING_METADATA_KEY } from '@atelier/engine';
import { describe, expect, it } from 'vitest';
import { trainTinyBundle } from '../testing/engine-fixture.js';
import { EngineOnnxRuntime } from './engine-onnx-runtime.js';
import { EngineModelRuntime } from './engine-runtime.js';

describe('engine bundle via its ONNX export', () => {
  it('answers what the engine answers, with the engine signature and validation', async () => {
    const trained = await trainTinyBundle(3);
    const loaded = await EngineOnnxRuntime.load(trained.bytes);
    if (!('runtime' in loaded)) throw new Error(`refused: ${loaded.refused}`);
    const rt = loaded.runtime;
    const engine = await EngineModelRuntime.load(trained.bytes, { workerThreads: 0 });
    try {
      expect(rt.inputs).toEqual(engine.inputs);
      expect(rt.outputNames).toEqual(['probability']);
      expect(rt.task).toBe('binary');
      const instances = [
        { age: 25, plan: 'basic' },
        { age: 60, plan: 'basic' },
        { age: 30, plan: 'pro' },
        { age: null, plan: 'never-seen' },
        { plan: null },
        { age: 50, plan: '' }, // a real empty string: a value (OOV) for the engine, not missing
      ];
      const got = await rt.run(instances);
      const want = await engine.run(instances);
      expect(got.length).toBe(instances.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-5));
      expect(rt.validate([{ age: 'old', plan: 3 }])).toEqual(engine.validate([{ age: 'old', plan: 3 }]));
    } finally {
      await rt.release();
      await engine.release();
    }
    await expect(rt.run([{ age: 1, plan: 'x' }])).rejects.toThrow(/after release/);
  });

  it('refuses (so the loader serves it on the engine) a hashed feature and a vocabulary holding ""', async () => {
    const bundle = (specs: Parameters<typeof fitPreprocessor>[0], cols: Parameters<typeof fitPreprocessor>[1]) => {
      const pre = fitPreprocessor(specs, cols);
      const { spec, mapping } = buildModelSpec('logistic', {}, pre, 'binary', 0, 1);
      const m = createModel(spec);
      const b = packBundle(saveBundle(m, { preprocessing: pre.toJSON(), metadata: { [INPUT_MAPPING_METADATA_KEY]: JSON.stringify(mapping) } }));
      m.dispose();
      return b;
    };
    const hashed = await EngineOnnxRuntime.load(bundle([{ name: 'c', type: 'categorical', transform: 'hash', options: { hashBuckets: 4 } }], { c: ['a', 'b'] }));
    expect(hashed).toMatchObject({ refused: expect.stringMatching(/feature 'c'.*'hash' transform/) });
    const empty = await EngineOnnxRuntime.load(bundle([{ name: 'c', type: 'categorical', transform: 'vocabulary' }], { c: ['a', ''] }));
    expect(empty).toMatchObject({ refused: expect.stringMatching(/feature 'c' has "" in its vocabulary/) });
  });
});
