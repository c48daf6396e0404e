// Test fixture: a tiny engine model trained in-process with the engine's own fit, with fitted
// preprocessing (a standardized numeric with the mean rule for missing values, and a vocabulary
// categorical), packed as a bundle the way the orchestrator packs them.
import {
  batchFromTransform,
  batchesFromArrays,
  createModel,
  createPredictor,
  featureInputsFor,
  fit,
  fitPreprocessor,
  instancesToColumns,
  packBundle,
  saveBundle,
  Random,
  type FeatureSpec,
} from '@atelier/engine';

export interface TrainedBundle {
  bytes: Uint8Array;
  /** The engine's own prediction for instances, computed in-process (the reference). */
  reference(instances: Array<Record<string, unknown>>): Float32Array;
  signature: Array<{ name: string; dtype: 'float32' | 'string'; shape: number[]; nullable: boolean }>;
}

/** y = 1 when age > 40 or plan is 'pro'. `seed` varies the weights (another version). */
export async function trainTinyBundle(seed = 1, epochs = 5): Promise<TrainedBundle> {
  const rng = new Random(seed);
  const n = 256;
  const age = new Float64Array(n);
  const plan: Array<string | null> = [];
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    age[i] = 18 + Math.floor(rng.next() * 50);
    plan.push(rng.next() < 0.3 ? 'pro' : 'basic');
    labels[i] = age[i] > 40 || plan[i] === 'pro' ? 1 : 0;
  }
  const specs: FeatureSpec[] = [
    { name: 'age', type: 'numeric', transform: 'standardize', missing: 'mean' },
    { name: 'plan', type: 'categorical', transform: 'vocabulary' },
  ];
  const pre = fitPreprocessor(specs, { age, plan }, n);
  const out = pre.transform({ age, plan }, n);
  const batch = batchFromTransform(out);
  const model = createModel({
    kind: 'mlp',
    config: { inputs: featureInputsFor(pre, { embeddingDim: 2 }), hiddenUnits: [8], task: 'binary', seed },
  });
  await fit(model, {
    epochs,
    data: batchesFromArrays({ numRows: n, inputs: batch.inputs, labels }, { batchSize: 32, shuffle: true, seed }),
    optimizer: { kind: 'adam', lr: 0.05 },
    seed,
  });
  const signature = pre.signature().map((s) => ({ name: s.name, dtype: s.dtype as 'float32' | 'string', shape: [] as number[], nullable: s.nullable }));
  const bytes = packBundle(saveBundle(model, { preprocessing: pre.toJSON(), signature, outputNames: ['probability'] }));
  const predictor = createPredictor(model);
  return {
    bytes,
    signature,
    reference(instances) {
      const cols = instancesToColumns(pre.signature(), instances);
      const t = pre.transform(cols, instances.length);
      return predictor.predict({ numRows: instances.length, inputs: batchFromTransform(t).inputs });
    },
  };
}

/** A raw-input MLP (no preprocessing): one dense input `features` [inputs] → hidden → 1 (regression). */
export function rawMlpBundle(inputs: number, hidden: number[], seed = 1): Uint8Array {
  const model = createModel({
    kind: 'mlp',
    config: { inputs: [{ name: 'features', kind: 'dense', width: inputs }], hiddenUnits: hidden, task: 'regression', seed },
  });
  try {
    return packBundle(saveBundle(model, { outputNames: ['prediction'] }));
  } finally {
    model.dispose();
  }
}
