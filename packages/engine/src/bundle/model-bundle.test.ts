import { describe, expect, it } from 'vitest';
import {
  BUNDLE_FORMAT_VERSION, BundleFormatError, Mlp, TwoTower, WideDeep, batchesFromArrays, createPredictor, fit, loadBundle, memory,
  packBundle, saveBundle, snapshotWeights, Random, type CannedModel,
} from '../index.js';

function rows(n: number, seed: number) {
  const r = new Random(seed);
  const x = Float32Array.from({ length: n * 3 }, () => r.normal());
  const c = Int32Array.from({ length: n }, () => r.nextInt(10));
  const tags = Int32Array.from({ length: n * 2 }, () => r.nextInt(6) - 1);
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * 3] > 0 ? 1 : 0));
  return { numRows: n, inputs: { x, c, tags, user: c, item: c }, labels: y };
}

const models: Record<string, () => CannedModel> = {
  mlp: () => new Mlp({
    inputs: [{ name: 'x', kind: 'dense', width: 3 }, { name: 'c', kind: 'categorical', vocabSize: 10, embeddingDim: 2 }, { name: 'tags', kind: 'multi_hot', vocabSize: 5, embeddingDim: 2, maxIds: 2 }],
    hiddenUnits: [8], normalization: 'batch', seed: 1,
  }),
  wide_deep: () => new WideDeep({ wideInputs: [{ name: 'c', kind: 'categorical', vocabSize: 10, embeddingDim: 1 }], deepInputs: [{ name: 'x', kind: 'dense', width: 3 }], hiddenUnits: [4], seed: 2 }),
  two_tower: () => new TwoTower({ userInputs: [{ name: 'user', kind: 'categorical', vocabSize: 10, embeddingDim: 4 }], itemInputs: [{ name: 'item', kind: 'categorical', vocabSize: 10, embeddingDim: 4 }], hiddenUnits: [4], outputDim: 3, seed: 3 }),
};

describe('model bundle', () => {
  for (const [kind, make] of Object.entries(models)) {
    it(`${kind}: save → load is exact and predicts identically (both forms)`, async () => {
      const before = memory().numTensors;
      const m = make();
      const data = rows(64, 1);
      await fit(m, { epochs: 1, data: batchesFromArrays(data, { batchSize: 16, dropRemainder: true }), optimizer: { kind: 'adam', lr: 0.01 } });
      const preprocessing = { format: 'atelier.preprocessor', version: 1, features: [] };
      const parts = saveBundle(m, { preprocessing, metadata: { run: 'r1' } });
      const manifest = JSON.parse(new TextDecoder().decode(parts.manifest));
      expect(manifest).toMatchObject({ formatVersion: BUNDLE_FORMAT_VERSION, kind, preprocessing, metadata: { run: 'r1' }, engineVersion: expect.any(String) });
      expect(manifest.signature.inputs.length).toBeGreaterThan(0);
      const expected = createPredictor(m).predict(data);
      for (const source of [parts, packBundle(parts)]) {
        const { model, manifest: mf } = loadBundle(source);
        expect(mf.kind).toBe(kind);
        expect(snapshotWeights(model)).toEqual(snapshotWeights(m));
        expect(createPredictor(model).predict(data)).toEqual(expected);
        model.dispose();
      }
      m.dispose();
      expect(memory().numTensors).toBe(before);
    });
  }

  it('rejects a newer formatVersion naming both versions, and unknown kinds', () => {
    const m = models.wide_deep();
    const parts = saveBundle(m);
    m.dispose();
    const edit = (f: (j: Record<string, unknown>) => void) => {
      const j = JSON.parse(new TextDecoder().decode(parts.manifest));
      f(j);
      return { manifest: new TextEncoder().encode(JSON.stringify(j)), weights: parts.weights };
    };
    expect(() => loadBundle(edit((j) => (j.formatVersion = 7)))).toThrow(new RegExp(`formatVersion 7 .*\\(${BUNDLE_FORMAT_VERSION},`));
    expect(() => loadBundle(edit((j) => (j.kind = 'gbdt_v9')))).toThrow(/unknown model kind 'gbdt_v9'/);
    expect(() => loadBundle(new Uint8Array([1, 2, 3]))).toThrow(BundleFormatError);
  });
});
