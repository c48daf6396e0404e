// Every model kind, trained with every exportable preprocessing transform, exported to ONNX and run in
// ONNX Runtime on evaluation rows with missing values and unseen categories: the graph's outputs equal
// the engine's predictions within 1e-5. onnxruntime-node is a dev-only dependency of this test (the
// engine itself never imports it).
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  INPUT_MAPPING_METADATA_KEY, Random, batchFromTransform, buildModelSpec, createModel, createPredictor, exportBundleToOnnx, fit,
  fitPreprocessor, loadBundle, OnnxExportError, packBundle, saveBundle, toModelInputs, parseInputMapping, Preprocessor, readRows,
  TwoTower, type FeatureSpec, type ModelKind, type RawColumns, GbdtModel, GbdtTrainer, featureKinds, featureMatrix,
} from '../index.js';

const TOLERANCE = 1e-5;

const SPECS: FeatureSpec[] = [
  { name: 'age', type: 'numeric', transform: 'standardize' }, // missing → mean
  { name: 'income', type: 'numeric', transform: 'minmax', missing: 'median' },
  { name: 'ratio', type: 'numeric', transform: 'none', missing: 'zero' },
  { name: 'spread', type: 'numeric', options: { clip: 1.5 } }, // the default transform: robust, clipped (often, at 1.5)
  { name: 'hours', type: 'numeric', transform: 'bucketize', options: { numBuckets: 4 }, missing: 'constant', constant: 7.5 },
  { name: 'temp', type: 'numeric', transform: 'bucketize', options: { boundaries: [-1, 0, 0.5, 2] } },
  { name: 'city', type: 'categorical', transform: 'vocabulary', options: { maxSize: 5 } }, // missing → oov
  { name: 'device', type: 'categorical', transform: 'vocabulary', missing: 'constant', constant: 'ios' },
  { name: 'store', type: 'categorical', transform: 'vocabulary', inputDtype: 'int32', options: { minCount: 2 } },
];
const CITIES = ['paris', 'lyon', 'nice', 'lille', 'brest', 'metz', 'caen', 'pau'];
const DEVICES = ['ios', 'android', 'web'];

interface Rows {
  n: number;
  /** What the engine's serving path sees: null for a missing value. */
  engine: RawColumns;
  /** What the ONNX graph takes: NaN for a missing number, '' for a missing string. */
  onnx: Record<string, ort.Tensor>;
  label: Float32Array;
  klass: Int32Array;
}

function makeRows(n: number, seed: number, opts: { missing: boolean; unseen: boolean }): Rows {
  const r = new Random(seed);
  const num = (scale: number, shift = 0) => Float32Array.from({ length: n }, () => Math.fround(shift + scale * r.normal()));
  const cols = { age: num(12, 40), income: num(2000, 3000), ratio: num(1), spread: num(4, 1), hours: num(3, 8), temp: num(1.5) };
  const city: (string | null)[] = Array.from({ length: n }, () => CITIES[Math.min(CITIES.length - 1, Math.floor(Math.abs(r.normal()) * 3))]);
  const device: (string | null)[] = Array.from({ length: n }, () => DEVICES[r.nextInt(3)]);
  const store = Float64Array.from({ length: n }, () => 100 + r.nextInt(12));
  if (opts.missing) {
    for (let i = 0; i < n; i += 5) {
      const c = (i / 5) % 5;
      if (c === 0) cols.age[i] = NaN;
      if (c === 1) [cols.income[i], city[i]] = [NaN, null];
      if (c === 2) [cols.ratio[i], cols.spread[i], device[i]] = [NaN, NaN, null];
      if (c === 3) [cols.hours[i], store[i]] = [NaN, NaN];
      if (c === 4) cols.temp[i] = NaN;
    }
  }
  if (opts.unseen) {
    for (let i = 3; i < n; i += 7) {
      city[i] = 'atlantis';
      device[i] = 'toaster';
      store[i] = 999;
    }
  }
  const label = new Float32Array(n);
  const klass = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Number.isNaN(cols.age[i]) ? 0 : (cols.age[i] - 40) / 12;
    const s = a + (city[i] === 'paris' ? 1 : 0) - (device[i] === 'web' ? 1 : 0) + 0.3 * r.normal();
    label[i] = s > 0 ? 1 : 0;
    klass[i] = s > 0.7 ? 2 : s > -0.5 ? 1 : 0;
  }
  const engine: RawColumns = { ...cols, city, device, store };
  const f32 = (a: Float32Array) => new ort.Tensor('float32', a, [n, 1]);
  const onnx: Record<string, ort.Tensor> = {
    age: f32(cols.age), income: f32(cols.income), ratio: f32(cols.ratio), spread: f32(cols.spread), hours: f32(cols.hours), temp: f32(cols.temp),
    city: new ort.Tensor('string', city.map((v) => v ?? ''), [n, 1]),
    device: new ort.Tensor('string', device.map((v) => v ?? ''), [n, 1]),
    store: new ort.Tensor('float64', store, [n, 1]),
  };
  return { n, engine, onnx, label, klass };
}

const TRAIN = makeRows(400, 1, { missing: true, unseen: false });
const EVAL = makeRows(120, 2, { missing: true, unseen: true });

interface Trained {
  bundle: Uint8Array;
  task: string;
}

async function trainBundle(kind: ModelKind, hyper: Record<string, unknown>, task: 'binary' | 'multiclass' | 'regression' | 'retrieval', specs = SPECS, train = TRAIN): Promise<Trained> {
  const pre = fitPreprocessor(specs, train.engine);
  const numClasses = task === 'multiclass' ? 3 : 0;
  const { spec, mapping } = buildModelSpec(kind, hyper, pre, task, numClasses, 7);
  const model = createModel(spec);
  const out = pre.transform(train.engine, train.n);
  const labels = task === 'multiclass' ? train.klass : task === 'regression' ? Float32Array.from(train.label, (v, i) => v + 0.01 * i) : train.label;
  const batch = { ...batchFromTransform(out), inputs: toModelInputs(mapping, out), ...(task !== 'retrieval' && { labels }) };
  await fit(model, { epochs: 3, data: () => [batch], optimizer: { kind: 'adam', lr: 0.05 }, seed: 3 });
  const bundle = packBundle(saveBundle(model, { preprocessing: pre.toJSON(), metadata: { [INPUT_MAPPING_METADATA_KEY]: JSON.stringify(mapping) } }));
  model.dispose();
  return { bundle, task };
}

/** What the engine's serving path predicts for the rows (bundle → preprocessor → mapping → predictor). */
function enginePredict(bundle: Uint8Array, rows: Rows): Float32Array {
  const { model, manifest } = loadBundle(bundle);
  try {
    const pre = Preprocessor.fromJSON(manifest.preprocessing);
    const mapping = parseInputMapping(manifest.metadata[INPUT_MAPPING_METADATA_KEY]);
    return createPredictor(model).predict({ numRows: rows.n, inputs: toModelInputs(mapping, pre.transform(rows.engine, rows.n)) });
  } finally {
    model.dispose();
  }
}

async function onnxRun(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    expect(Number.isFinite(a[i]) && Number.isFinite(b[i])).toBe(true);
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return m;
}

const CASES: Array<{ label: string; kind: ModelKind; task: 'binary' | 'multiclass' | 'regression' | 'retrieval'; hyper: Record<string, unknown>; output: string; width: number }> = [
  { label: 'linear (regression)', kind: 'linear', task: 'regression', hyper: {}, output: 'prediction', width: 1 },
  { label: 'logistic (binary)', kind: 'logistic', task: 'binary', hyper: {}, output: 'probability', width: 1 },
  { label: 'softmax (multiclass)', kind: 'softmax', task: 'multiclass', hyper: {}, output: 'probabilities', width: 3 },
  { label: 'mlp binary, ReLU + batch norm', kind: 'mlp', task: 'binary', hyper: { hiddenUnits: [16, 8], normalization: 'batch', dropout: 0.1 }, output: 'probability', width: 1 },
  { label: 'mlp multiclass, GELU + layer norm', kind: 'mlp', task: 'multiclass', hyper: { task: 'multiclass', hiddenUnits: [12], activation: 'gelu', normalization: 'layer' }, output: 'probabilities', width: 3 },
  { label: 'mlp regression, tanh', kind: 'mlp', task: 'regression', hyper: { task: 'regression', hiddenUnits: [8], activation: 'tanh' }, output: 'prediction', width: 1 },
  { label: 'wide & deep binary', kind: 'wide_deep', task: 'binary', hyper: { hiddenUnits: [16, 8], wideFeatures: ['age', 'city', 'device', 'hours'] }, output: 'probability', width: 1 },
  { label: 'wide & deep multiclass, sigmoid', kind: 'wide_deep', task: 'multiclass', hyper: { task: 'multiclass', hiddenUnits: [8], activation: 'sigmoid' }, output: 'probabilities', width: 3 },
  {
    label: 'two-tower (retrieval)', kind: 'two_tower', task: 'retrieval',
    hyper: { userFeatures: ['age', 'income', 'city', 'hours'], itemFeatures: ['ratio', 'device', 'store', 'temp'], hiddenUnits: [16], outputDim: 8 },
    output: 'score', width: 1,
  },
];

describe('ONNX export: every model kind matches the engine within 1e-5', () => {
  for (const c of CASES) {
    it(c.label, async () => {
      const { bundle } = await trainBundle(c.kind, c.hyper, c.task);
      const exported = exportBundleToOnnx(bundle);
      expect(exported.inputs.map((i) => i.name)).toEqual(SPECS.map((s) => s.name));
      const results = await onnxRun(exported.bytes, EVAL.onnx);
      const got = results[c.output];
      expect(got.dims).toEqual(c.width === 1 ? [EVAL.n] : [EVAL.n, c.width]);
      const want = enginePredict(bundle, EVAL);
      const diff = maxAbsDiff(got.data as Float32Array, want);
      if (process.env.ONNX_EXPORT_REPORT) console.log(`${c.label}: max |onnx - engine| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
      if (c.kind === 'two_tower') {
        // The embeddings are outputs too (what a retrieval index stores); compare the user side.
        const { model, manifest } = loadBundle(bundle);
        const pre = Preprocessor.fromJSON(manifest.preprocessing);
        const inputs = toModelInputs(parseInputMapping(manifest.metadata[INPUT_MAPPING_METADATA_KEY]), pre.transform(EVAL.engine, EVAL.n));
        const tt = model as TwoTower;
        const users = readRows(tt.userEmbedding.bind(tt), inputs, EVAL.n);
        model.dispose();
        expect(maxAbsDiff(results.user_embedding.data as Float32Array, users)).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }
});

describe('ONNX export: missing-value rules and refusals', () => {
  it("rows the engine refuses under the 'error' rule come out NaN; the others match", async () => {
    const specs: FeatureSpec[] = [
      { name: 'age', type: 'numeric', transform: 'standardize', missing: 'error' },
      { name: 'city', type: 'categorical', transform: 'vocabulary', missing: 'error' },
      { name: 'temp', type: 'numeric', transform: 'bucketize', options: { boundaries: [0] }, missing: 'error' },
    ];
    const clean = makeRows(200, 5, { missing: false, unseen: false });
    const { bundle } = await trainBundle('mlp', { hiddenUnits: [8] }, 'binary', specs, clean);
    const rows = makeRows(40, 6, { missing: false, unseen: true });
    const bad = [4, 9, 17];
    // Copies: an ort.Tensor wraps the engine rows' own arrays, which must stay complete.
    const age = Float32Array.from(rows.onnx.age.data as Float32Array);
    const city = [...(rows.onnx.city.data as string[])];
    const temp = Float32Array.from(rows.onnx.temp.data as Float32Array);
    age[4] = NaN;
    city[9] = '';
    temp[17] = NaN;
    const feeds = { age: new ort.Tensor('float32', age, [rows.n, 1]), city: new ort.Tensor('string', city, [rows.n, 1]), temp: new ort.Tensor('float32', temp, [rows.n, 1]) };
    const got = (await onnxRun(exportBundleToOnnx(bundle).bytes, feeds)).probability.data as Float32Array;
    const want = enginePredict(bundle, rows); // the engine rows are untouched: no missing values
    for (let i = 0; i < rows.n; i++) {
      if (bad.includes(i)) expect(got[i]).toBeNaN();
      else expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('refuses hashing (FNV-1a) and hashed OOV buckets, naming each feature', async () => {
    const specs: FeatureSpec[] = [
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'city', type: 'categorical', transform: 'hash', options: { hashBuckets: 16 } },
      { name: 'device', type: 'categorical', transform: 'vocabulary', options: { numOovBuckets: 3 } },
    ];
    const { bundle } = await trainBundle('logistic', {}, 'binary', specs);
    let err: unknown;
    try {
      exportBundleToOnnx(bundle);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OnnxExportError);
    const problems = (err as OnnxExportError).problems;
    expect(problems.map((p) => p.feature)).toEqual(['city', 'device']);
    expect(problems[0].message).toMatch(/'hash' transform \(FNV-1a/);
    expect(problems[1].message).toMatch(/numOovBuckets 3/);
  });

  it('a bundle without preprocessing takes the model tensors (dense, ids, multi-hot bags padded with -1)', async () => {
    const n = 50;
    const r = new Random(9);
    const x = Float32Array.from({ length: n * 3 }, () => r.normal());
    const cat = Int32Array.from({ length: n }, () => r.nextInt(6));
    const bag = Int32Array.from({ length: n * 4 }, (_, i) => (i % 4 === 3 || r.next() < 0.3 ? -1 : r.nextInt(10)));
    for (let k = 0; k < 4; k++) bag[8 + k] = -1; // an all-padding row
    const model = createModel({
      kind: 'mlp',
      config: {
        inputs: [
          { name: 'x', kind: 'dense', width: 3 },
          { name: 'cat', kind: 'categorical', vocabSize: 6, embeddingDim: 3 },
          { name: 'bag', kind: 'multi_hot', vocabSize: 10, embeddingDim: 4, maxIds: 4, combiner: 'mean' },
          { name: 'bagsum', kind: 'multi_hot', vocabSize: 10, embeddingDim: 2, maxIds: 4, combiner: 'sum' },
        ],
        hiddenUnits: [8],
        seed: 2,
      },
    });
    const inputs = { x, cat, bag, bagsum: bag };
    await fit(model, { epochs: 2, data: () => [{ numRows: n, inputs, labels: Float32Array.from({ length: n }, (_, i) => i % 2) }], optimizer: { kind: 'adam', lr: 0.05 } });
    const bundle = packBundle(saveBundle(model));
    const want = createPredictor(model).predict({ numRows: n, inputs });
    model.dispose();
    const got = await onnxRun(exportBundleToOnnx(bundle).bytes, {
      x: new ort.Tensor('float32', x, [n, 3]),
      cat: new ort.Tensor('int32', cat, [n]),
      bag: new ort.Tensor('int32', bag, [n, 4]),
      bagsum: new ort.Tensor('int32', bag, [n, 4]),
    });
    expect(maxAbsDiff(got.probability.data as Float32Array, want)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('ONNX export: gbdt as ai.onnx.ml TreeEnsembleRegressor', () => {
  async function trainGbdtBundle(task: 'binary' | 'multiclass' | 'regression'): Promise<Uint8Array> {
    const pre = fitPreprocessor(SPECS, TRAIN.engine);
    const numClasses = task === 'multiclass' ? 3 : 0;
    const { spec, mapping } = buildModelSpec('gbdt', { task, numTrees: 15, maxDepth: 4, learningRate: 0.3 }, pre, task, numClasses, 7);
    if (spec.kind !== 'gbdt') throw new Error('expected a gbdt spec');
    const inputs = toModelInputs(mapping, pre.transform(TRAIN.engine, TRAIN.n));
    const labels = task === 'multiclass' ? TRAIN.klass : task === 'regression' ? Float32Array.from(TRAIN.label, (v, i) => v + 0.01 * i) : TRAIN.label;
    const categorical = featureKinds(spec.config.inputs);
    const trainer = new GbdtTrainer({
      numFeatures: categorical.length,
      categorical,
      train: { numRows: TRAIN.n, values: featureMatrix(spec.config.inputs, inputs, TRAIN.n), labels },
      params: { ...spec.config.params, earlyStoppingRounds: 0 },
    });
    const model = new GbdtModel(spec.config, trainer.fit(), trainer.binner);
    expect(model.ensemble.arrays().catOffset.some((c) => c >= 0)).toBe(true); // category-set splits are in the graph
    return packBundle(saveBundle(model, { preprocessing: pre.toJSON(), metadata: { [INPUT_MAPPING_METADATA_KEY]: JSON.stringify(mapping) } }));
  }
  for (const [task, output, width] of [['binary', 'probability', 1], ['multiclass', 'probabilities', 3], ['regression', 'prediction', 1]] as const) {
    it(`${task}: the same predictions as the engine (missing values, unseen categories)`, async () => {
      const bundle = await trainGbdtBundle(task);
      const exported = exportBundleToOnnx(bundle);
      const got = (await onnxRun(exported.bytes, EVAL.onnx))[output];
      expect(got.dims).toEqual(width === 1 ? [EVAL.n] : [EVAL.n, width]);
      expect(maxAbsDiff(got.data as Float32Array, enginePredict(bundle, EVAL))).toBeLessThanOrEqual(TOLERANCE);
    });
  }
});
