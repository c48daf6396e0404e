// Engine bundle → one ONNX graph (opset 17 + ai.onnx.ml 2) that takes the raw feature columns and
// returns what createPredictor returns: the fitted preprocessing, the model's forward pass and the
// task's output transform, in one file ONNX Runtime runs. Preprocessing is computed in double, as the
// engine's Preprocessor does, so standardized values and bucket ids are the engine's to the bit; the
// network runs in float32 like the engine's (which accumulates GEMMs in float64, hence ~1e-7 drift).
// What ONNX cannot express exactly (FNV-1a hashing of strings) is refused, never approximated.
import { readSync } from '../engine.js';
import { loadBundle, ENGINE_VERSION, type BundleManifest } from '../bundle/model-bundle.js';
import { INPUT_MAPPING_METADATA_KEY, parseInputMapping, type InputMapping } from '../inference/input-mapping.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import type { FeatureInputs } from '../layers/feature-inputs.js';
import { LayerNorm } from '../layers/layer-norm.js';
import { Activation, type Sequential } from '../layers/sequential.js';
import type { ActivationName } from '../layers/activations.js';
import type { Layer } from '../layers/layer.js';
import { LinearRegression, LogisticRegression, SoftmaxRegression } from '../models/linear-models.js';
import type { CannedModel } from '../models/model.js';
import { Mlp } from '../models/mlp.js';
import { TwoTower } from '../models/two-tower.js';
import { WideDeep } from '../models/wide-deep.js';
import { Preprocessor } from '../preprocessing/preprocessor.js';
import type { FittedFeature } from '../preprocessing/fitted-feature.js';
import { DEFAULT_DENSE_INPUT } from '../training/preprocessed-inputs.js';
import type { Variable } from '../tensor.js';
import { ML_DOMAIN, OnnxGraphBuilder } from './onnx-graph-builder.js';
import { treeEnsembleForward } from './tree-ensemble-onnx.js';
import { GbdtModel } from '../trees/gbdt-model.js';
import { DT, encodeModel, type ValueInfo } from './onnx-proto.js';

export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 2;
/** The symbolic batch dimension of every input and output. */
export const BATCH_DIM = 'N';

/** One reason a bundle cannot be exported; `feature` names the input it concerns, when one does. */
export interface OnnxExportProblem {
  feature?: string;
  message: string;
}

/** The bundle holds something ONNX cannot compute exactly; every such part is listed. */
export class OnnxExportError extends Error {
  constructor(readonly problems: OnnxExportProblem[]) {
    super(`cannot export to ONNX: ${problems.map((p) => (p.feature ? `feature '${p.feature}': ${p.message}` : p.message)).join('; ')}`);
    this.name = 'OnnxExportError';
  }
}

export interface OnnxExport {
  /** The serialized ModelProto. */
  bytes: Uint8Array;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** Export a bundle (single-file bytes or its two parts). Throws OnnxExportError or BundleFormatError. */
export function exportBundleToOnnx(source: Uint8Array | { manifest: Uint8Array; weights: Uint8Array }): OnnxExport {
  const { model, manifest } = loadBundle(source);
  try {
    return exportModelToOnnx(model, manifest);
  } finally {
    model.dispose();
  }
}

const values = (v: Variable): Float32Array => Float32Array.from(readSync(v));

export function exportModelToOnnx(model: CannedModel, manifest: BundleManifest): OnnxExport {
  const g = new OnnxGraphBuilder();
  const inputs: ValueInfo[] = [];
  /** Per-row "the engine would have refused this row" flags ([N] bool), for the 'error' missing rule. */
  const invalid: string[] = [];
  const modelInputs = manifest.preprocessing
    ? preprocessedInputs(g, Preprocessor.fromJSON(manifest.preprocessing), manifest, inputs, invalid)
    : rawInputs(g, model, inputs);

  const { outputs, main } = forward(g, model, modelInputs);
  let y = main.value;
  if (model.task === 'binary') y = g.op('Sigmoid', [y], {}, { stem: 'probability' });
  if (model.task === 'multiclass') y = g.op('Softmax', [y], { axis: { kind: 'int', value: -1 } }, { stem: 'probabilities' });
  if (invalid.length > 0) {
    let any = invalid[0];
    for (const m of invalid.slice(1)) any = g.op('Or', [any, m], {}, { stem: 'invalid' });
    const mask = main.dims.length === 2 ? g.op('Unsqueeze', [any, g.int64s('axes', [1], [1])], {}, { stem: 'invalid' }) : any;
    y = g.op('Where', [mask, g.floats('nan', [], [NaN]), y], {}, { stem: 'masked' });
  }
  g.op('Identity', [y], {}, { output: main.name });
  const outputInfos: ValueInfo[] = [{ name: main.name, elemType: DT.FLOAT, dims: main.dims }, ...outputs];

  const bytes = encodeModel({
    irVersion: 8,
    producerName: 'atelier-engine',
    producerVersion: ENGINE_VERSION,
    docString: `Atelier ${model.kind} model (${model.task}) with its preprocessing`,
    opsets: [
      { domain: '', version: ONNX_OPSET },
      { domain: ML_DOMAIN, version: ONNX_ML_OPSET },
    ],
    metadata: {
      'atelier.kind': model.kind,
      'atelier.task': model.task,
      'atelier.outputNames': JSON.stringify(manifest.output.names),
    },
    graph: { name: `atelier_${model.kind}`, nodes: g.nodes, initializers: g.initializers, inputs, outputs: outputInfos },
  });
  return { bytes, inputs, outputs: outputInfos };
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Model input name → ONNX value: float [N, width] for dense blocks, int64 [N] (or [N, K]) for ids. */
type ModelValues = Map<string, string>;

/** Everything in the preprocessing that has no exact ONNX form, listed before any graph is built. */
function refusals(pre: Preprocessor): OnnxExportProblem[] {
  const out: OnnxExportProblem[] = [];
  for (const f of pre.features) {
    if (f.state.kind === 'hash') {
      out.push({ feature: f.spec.name, message: "the 'hash' transform (FNV-1a over UTF-8 bytes) has no exact ONNX form: no standard operator exposes a string's bytes" });
    } else if (f.state.kind === 'vocabulary' && f.state.numOovBuckets > 1) {
      out.push({ feature: f.spec.name, message: `numOovBuckets ${f.state.numOovBuckets} hashes unseen values into OOV buckets (FNV-1a), which has no exact ONNX form; only numOovBuckets 1 exports` });
    }
  }
  return out;
}

function preprocessedInputs(g: OnnxGraphBuilder, pre: Preprocessor, manifest: BundleManifest, inputs: ValueInfo[], invalid: string[]): ModelValues {
  const problems = refusals(pre);
  if (problems.length > 0) throw new OnnxExportError(problems);
  const dense = new Map<string, string>(); // feature → float [N, 1]
  const ids = new Map<string, string>(); // feature → int64 [N]
  for (const f of pre.features) {
    const name = f.spec.name;
    const st = f.state;
    if (st.kind === 'dense' || st.kind === 'bucketize') {
      inputs.push({ name, elemType: DT.FLOAT, dims: [BATCH_DIM, 1] });
      // The engine imputes and scales in float64 before storing float32: do the same.
      let x = g.cast(name, DT.DOUBLE, `${name}_f64`);
      const nan = g.op('IsNaN', [x], {}, { stem: `${name}_missing` });
      if (st.fill === null) invalid.push(g.reshape(nan, [-1], `${name}_missing`));
      else x = g.op('Where', [nan, g.doubles(`${name}_fill`, [], [st.fill]), x], {}, { stem: `${name}_imputed` });
      if (st.kind === 'dense') {
        let scaled = g.op('Mul', [g.op('Sub', [x, g.doubles(`${name}_shift`, [], [st.shift])]), g.doubles(`${name}_scale`, [], [st.scale])]);
        if (st.clip !== undefined) {
          // Min/Max rather than Clip: both take doubles in every opset onnxruntime implements.
          scaled = g.op('Max', [g.op('Min', [scaled, g.doubles(`${name}_clip_hi`, [], [st.clip])]), g.doubles(`${name}_clip_lo`, [], [-st.clip])]);
        }
        dense.set(name, g.cast(scaled, DT.FLOAT, name));
      } else {
        // id = number of boundaries <= x: a broadcast comparison against every boundary, summed.
        const ge = g.op('GreaterOrEqual', [x, g.doubles(`${name}_boundaries`, [st.boundaries.length], st.boundaries)]);
        ids.set(name, g.op('ReduceSum', [g.cast(ge, DT.INT64), g.int64s('axes', [1], [1])], { keepdims: { kind: 'int', value: 0 } }, { stem: `${name}_bucket` }));
      }
    } else if (st.kind === 'vocabulary') {
      ids.set(name, vocabularyIds(g, f, st.vocabulary, inputs, invalid));
    }
  }
  const mapping: InputMapping = manifest.metadata?.[INPUT_MAPPING_METADATA_KEY]
    ? parseInputMapping(manifest.metadata[INPUT_MAPPING_METADATA_KEY])
    : { format: 'atelier.inputs.v1', dense: pre.denseNames.length > 0 ? { [DEFAULT_DENSE_INPUT]: pre.denseNames } : {}, categorical: pre.categoricalNames };
  const out: ModelValues = new Map();
  for (const [input, names] of Object.entries(mapping.dense)) {
    const cols = names.map((n) => {
      const v = dense.get(n);
      if (!v) throw new OnnxExportError([{ feature: n, message: `the input mapping names dense feature '${n}', which the preprocessor does not produce` }]);
      return v;
    });
    out.set(input, cols.length === 1 ? cols[0] : g.op('Concat', cols, { axis: { kind: 'int', value: 1 } }, { stem: input }));
  }
  for (const n of mapping.categorical) {
    const v = ids.get(n);
    if (!v) throw new OnnxExportError([{ feature: n, message: `the input mapping names categorical feature '${n}', which the preprocessor does not produce` }]);
    out.set(n, v);
  }
  return out;
}

/**
 * Vocabulary lookup with ai.onnx.ml LabelEncoder (unseen → OOV id 0). String inputs mark a missing
 * value with the empty string (string tensors have no null); integer-coded inputs arrive as double
 * with NaN for missing and are looked up by their decimal string, as the engine does.
 */
function vocabularyIds(g: OnnxGraphBuilder, f: FittedFeature, vocabulary: string[], inputs: ValueInfo[], invalid: string[]): string {
  const name = f.spec.name;
  const lookup = new Map(vocabulary.map((v, k) => [v, 1 + k]));
  const missingId = f.missing === 'oov' ? 0 : f.missing === 'constant' ? (lookup.get(typeof f.spec.constant === 'string' ? f.spec.constant : '') ?? 0) : -1;
  const encode = (x: string, extra: Array<[string, number]>) => {
    let keys = [...vocabulary.filter((v) => !extra.some(([k]) => k === v)), ...extra.map(([k]) => k)];
    let vals = keys.map((k) => extra.find(([e]) => e === k)?.[1] ?? lookup.get(k)!);
    // An empty vocabulary maps everything to OOV; LabelEncoder wants at least one key.
    if (keys.length === 0) [keys, vals] = [[''], [0]];
    return g.op(
      'LabelEncoder',
      [x],
      { keys_strings: { kind: 'strings', value: keys }, values_int64s: { kind: 'ints', value: vals }, default_int64: { kind: 'int', value: 0 } },
      { domain: ML_DOMAIN, stem: `${name}_ids` },
    );
  };
  let id: string;
  if ((f.spec.inputDtype ?? 'string') === 'string') {
    inputs.push({ name, elemType: DT.STRING, dims: [BATCH_DIM, 1] });
    id = g.reshape(encode(name, [['', missingId]]), [-1], `${name}_ids`);
  } else {
    inputs.push({ name, elemType: DT.DOUBLE, dims: [BATCH_DIM, 1] });
    const nan = g.op('IsNaN', [name], {}, { stem: `${name}_missing` });
    const code = g.cast(g.op('Where', [nan, g.doubles('zero', [], [0]), name]), DT.INT64, `${name}_code`);
    const looked = encode(g.cast(code, DT.STRING, `${name}_text`), []);
    id = g.reshape(g.op('Where', [nan, g.int64s(`${name}_missing_id`, [], [missingId]), looked]), [-1], `${name}_ids`);
  }
  if (missingId >= 0) return id;
  // 'error' rule: the engine refuses the row; the graph flags it (output NaN) and looks up id 0.
  const bad = g.op('Less', [id, g.int64s('zero', [], [0])], {}, { stem: `${name}_missing` });
  invalid.push(bad);
  return g.op('Where', [bad, g.int64s('zero', [], [0]), id], {}, { stem: `${name}_ids` });
}

/** Bundles without preprocessing take the model's tensors as they are (ids as int32, -1 = padding). */
function rawInputs(g: OnnxGraphBuilder, model: CannedModel, inputs: ValueInfo[]): ModelValues {
  const out: ModelValues = new Map();
  for (const f of model.features) {
    if (f.kind === 'dense') {
      inputs.push({ name: f.name, elemType: DT.FLOAT, dims: [BATCH_DIM, f.width] });
      out.set(f.name, f.name);
    } else {
      inputs.push({ name: f.name, elemType: DT.INT32, dims: f.kind === 'categorical' ? [BATCH_DIM] : [BATCH_DIM, f.maxIds] });
      out.set(f.name, g.cast(f.name, DT.INT64, `${f.name}_ids`));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The network

interface MainOutput {
  name: string;
  value: string;
  dims: Array<number | string>;
}

function mainOutputName(task: CannedModel['task']): string {
  switch (task) {
    case 'binary':
      return 'probability';
    case 'multiclass':
      return 'probabilities';
    case 'regression':
      return 'prediction';
    default:
      return 'score';
  }
}

function forward(g: OnnxGraphBuilder, model: CannedModel, x: ModelValues): { main: MainOutput; outputs: ValueInfo[] } {
  const name = mainOutputName(model.task);
  const squeezeHead = (y: string, units: number): MainOutput =>
    units === 1 ? { name, value: g.reshape(y, [-1], 'logit'), dims: [BATCH_DIM] } : { name, value: y, dims: [BATCH_DIM, units] };
  if (model instanceof LinearRegression || model instanceof LogisticRegression || model instanceof SoftmaxRegression) {
    return { main: squeezeHead(dense(g, model.head, front(g, model.front, x, 'inputs')), model.head.config.units), outputs: [] };
  }
  if (model instanceof Mlp) {
    const h = sequential(g, model.body, front(g, model.front, x, 'inputs'), 'body');
    return { main: squeezeHead(dense(g, model.head, h), model.head.config.units), outputs: [] };
  }
  if (model instanceof WideDeep) {
    const wide = dense(g, model.wide, front(g, model.wideFront, x, 'wide_inputs'));
    const deep = dense(g, model.deepHead, sequential(g, model.deep, front(g, model.deepFront, x, 'deep_inputs'), 'deep'));
    return { main: squeezeHead(g.op('Add', [wide, deep], {}, { stem: 'logits' }), model.wide.config.units), outputs: [] };
  }
  if (model instanceof TwoTower) {
    const embed = (t: TwoTower['user'], which: 'user' | 'item'): string => {
      let e = dense(g, t.out, sequential(g, t.body, front(g, t.front, x, `${which}/inputs`), `${which}/body`));
      if (model.config.normalize !== false) {
        // x / sqrt(sum(x², axis 1) + 1e-12), as the engine's l2Normalize
        const ss = g.op('ReduceSum', [g.op('Mul', [e, e]), g.int64s('axes', [1], [1])], { keepdims: { kind: 'int', value: 1 } });
        e = g.op('Div', [e, g.op('Sqrt', [g.op('Add', [ss, g.floats('eps', [], [1e-12])])])]);
      }
      return g.op('Identity', [e], {}, { output: `${which}_embedding` });
    };
    const u = embed(model.user, 'user');
    const it = embed(model.item, 'item');
    const score = g.op('ReduceSum', [g.op('Mul', [u, it]), g.int64s('axes', [1], [1])], { keepdims: { kind: 'int', value: 0 } }, { stem: 'score' });
    const dim = model.user.out.config.units;
    return {
      main: { name, value: score, dims: [BATCH_DIM] },
      outputs: [
        { name: 'user_embedding', elemType: DT.FLOAT, dims: [BATCH_DIM, dim] },
        { name: 'item_embedding', elemType: DT.FLOAT, dims: [BATCH_DIM, dim] },
      ],
    };
  }
  if (model instanceof GbdtModel) {
    const margins = treeEnsembleForward(g, model, x, (f) => new OnnxExportError([{ feature: f, message: `the model reads input '${f}', which the bundle's preprocessing does not produce` }]));
    return { main: squeezeHead(margins, model.outputWidth), outputs: [] };
  }
  throw new OnnxExportError([{ message: `model kind '${model.kind}' has no ONNX exporter` }]);
}

/** FeatureInputs: dense blocks pass through, ids go through their embedding (bag), one concat. */
function front(g: OnnxGraphBuilder, fi: FeatureInputs, x: ModelValues, path: string): string {
  const tables = new Map(fi.namedVariables().map(([p, v]) => [p, v]));
  const parts = fi.features.map((f) => {
    const v = x.get(f.name);
    if (!v) throw new OnnxExportError([{ feature: f.name, message: `the model reads input '${f.name}', which the bundle's preprocessing does not produce` }]);
    if (f.kind === 'dense') return v;
    const table = tables.get(`${f.name}/table`)!;
    const t = g.floats(`${path}/${f.name}/table`, [...table.shape], values(table));
    if (f.kind === 'categorical') return g.op('Gather', [t, v], { axis: { kind: 'int', value: 0 } }, { stem: `${f.name}_embedding` });
    // Bag of ids padded with -1: ONNX Gather wraps negative ids, so gather id 0 there and zero the rows.
    const valid = g.op('GreaterOrEqual', [v, g.int64s('zero', [], [0])]);
    const rows = g.op('Gather', [t, g.op('Where', [valid, v, g.int64s('zero', [], [0])])], { axis: { kind: 'int', value: 0 } });
    const validF = g.cast(valid, DT.FLOAT);
    const summed = g.op('ReduceSum', [g.op('Mul', [rows, g.op('Unsqueeze', [validF, g.int64s('axes', [1], [2])])]), g.int64s('axes', [1], [1])], {
      keepdims: { kind: 'int', value: 0 },
    });
    if ((f.combiner ?? 'mean') === 'sum') return summed;
    const counts = g.op('ReduceSum', [validF, g.int64s('axes', [1], [1])], { keepdims: { kind: 'int', value: 1 } });
    return g.op('Div', [summed, g.op('Max', [counts, g.floats('one', [], [1])])], {}, { stem: `${f.name}_bag` });
  });
  return parts.length === 1 ? parts[0] : g.op('Concat', parts, { axis: { kind: 'int', value: 1 } }, { stem: `${path}_concat` });
}

function dense(g: OnnxGraphBuilder, layer: Dense, x: string): string {
  // Inputs here are always [N, in] (FeatureInputs concatenates to rank 2): one Gemm with its bias.
  const kernel = g.floats('kernel', [...layer.kernel.shape], values(layer.kernel));
  const y = layer.bias ? g.op('Gemm', [x, kernel, g.floats('bias', [...layer.bias.shape], values(layer.bias))]) : g.op('MatMul', [x, kernel]);
  return activation(g, y, layer.activation);
}

function sequential(g: OnnxGraphBuilder, seq: Sequential, x: string, path: string): string {
  let y = x;
  for (const layer of seq.layers as Layer[]) {
    if (layer instanceof Dense) y = dense(g, layer, y);
    else if (layer instanceof Activation) y = activation(g, y, layer.activation);
    else if (layer instanceof Dropout) continue; // identity at inference
    else if (layer instanceof BatchNorm) {
      // Inference form with running statistics, in the engine's order: ((x - μ) · 1/√(σ² + ε)) · γ + β
      const rv = values(layer.runningVar);
      const inv = g.floats('bn_inv_std', [rv.length], Array.from(rv, (v) => 1 / Math.sqrt(v + layer.eps)));
      const centered = g.op('Sub', [y, g.floats('bn_mean', [layer.dim], values(layer.runningMean))]);
      y = g.op('Add', [g.op('Mul', [g.op('Mul', [centered, inv]), g.floats('bn_gamma', [layer.dim], values(layer.gamma))]), g.floats('bn_beta', [layer.dim], values(layer.beta))]);
    } else if (layer instanceof LayerNorm) {
      y = g.op('LayerNormalization', [y, g.floats('ln_gamma', [layer.dim], values(layer.gamma)), g.floats('ln_beta', [layer.dim], values(layer.beta))], {
        axis: { kind: 'int', value: -1 },
        epsilon: { kind: 'float', value: layer.eps },
      });
    } else {
      throw new OnnxExportError([{ message: `layer ${layer.constructor.name} in '${path}' has no ONNX exporter` }]);
    }
  }
  return y;
}

function activation(g: OnnxGraphBuilder, x: string, act: ActivationName): string {
  switch (act) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x]);
    case 'sigmoid':
      return g.op('Sigmoid', [x]);
    case 'tanh':
      return g.op('Tanh', [x]);
    case 'softmax':
      return g.op('Softmax', [x], { axis: { kind: 'int', value: -1 } });
    case 'gelu': {
      // The engine's GELU is the tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
      // Opset 17 has no Gelu operator (it arrives in 20), so it is spelled out.
      const x3 = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [x3, g.floats('c', [], [0.044715])])]), g.floats('sqrt_2_over_pi', [], [Math.sqrt(2 / Math.PI)])]);
      const t = g.op('Add', [g.op('Tanh', [inner]), g.floats('one', [], [1])]);
      return g.op('Mul', [g.op('Mul', [x, t]), g.floats('half', [], [0.5])], {}, { stem: 'gelu' });
    }
    default:
      throw new OnnxExportError([{ message: `activation '${String(act)}' has no ONNX exporter` }]);
  }
}
