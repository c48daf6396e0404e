// The parameter count (arithmetic on a spec) agrees with the variables createModel allocates, for every
// kind, with and without default hidden layers and normalization.
import { describe, expect, it } from 'vitest';
import { countParameters, createModel, type ModelSpec } from '../index.js';

const dense = { name: 'x', kind: 'dense', width: 5 } as const;
const cat = { name: 'c', kind: 'categorical', vocabSize: 11, embeddingDim: 3 } as const;
const wideCat = { name: 'c', kind: 'categorical', vocabSize: 11, embeddingDim: 1 } as const;
const specs: Array<[string, ModelSpec]> = [
  ['linear', { kind: 'linear', config: { inputs: [dense, cat] } }],
  ['logistic', { kind: 'logistic', config: { inputs: [cat] } }],
  ['softmax', { kind: 'softmax', config: { inputs: [dense, cat], numClasses: 4 } }],
  ['mlp defaults', { kind: 'mlp', config: { inputs: [dense, cat] } }],
  ['mlp multiclass, batch norm', { kind: 'mlp', config: { inputs: [dense, cat], task: 'multiclass', numClasses: 3, hiddenUnits: [7, 4], normalization: 'batch' } }],
  ['mlp layer norm', { kind: 'mlp', config: { inputs: [dense], hiddenUnits: [6], normalization: 'layer' } }],
  ['wide_deep defaults', { kind: 'wide_deep', config: { wideInputs: [dense, wideCat], deepInputs: [dense, cat] } }],
  ['wide_deep multiclass', { kind: 'wide_deep', config: { wideInputs: [wideCat], deepInputs: [dense, cat], task: 'multiclass', numClasses: 5, hiddenUnits: [9] } }],
  ['two_tower defaults', { kind: 'two_tower', config: { userInputs: [dense], itemInputs: [cat] } }],
  ['two_tower sized', { kind: 'two_tower', config: { userInputs: [dense, { ...cat, name: 'u' }], itemInputs: [cat], hiddenUnits: [8, 4], outputDim: 6, normalization: 'batch' } }],
];

describe('countParameters', () => {
  it.each(specs)('matches the variables of the built model: %s', (_name, spec) => {
    const model = createModel(spec);
    try {
      const built = model.namedVariables().reduce((s, [, v]) => s + v.size, 0);
      expect(countParameters(spec).total).toBe(built);
    } finally {
      model.dispose();
    }
  });

  it('counts a model far too big to build without allocating it, and names its embedding tables', () => {
    const spec: ModelSpec = { kind: 'mlp', config: { inputs: [dense, { ...cat, vocabSize: 1_000_000, embeddingDim: 64 }], hiddenUnits: Array(16).fill(65536) } };
    const count = countParameters(spec);
    expect(count.total).toBeGreaterThan(15 * 65536 * 65536);
    expect(count.embeddings).toEqual({ c: 64_000_000 });
  });
});
