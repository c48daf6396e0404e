// Engine bundles served through their ONNX export (the engine's exportBundleToOnnx: preprocessing and
// model in one graph) on onnxruntime-node, instead of the engine's predictor. Same signature, same
// validation, same answers within 1e-5 (the exporter's tests); chosen by ATELIER_ENGINE_RUNTIME.
// A bundle the exporter refuses (hashed categoricals) or whose empty string would mean something else
// in the graph (a vocabulary containing "") is not loaded here: load() says why and the caller serves
// it on the engine.
//
// Feeds follow the export's inputs: numbers float [N,1] (NaN = missing), strings [N,1] ("" = missing;
// a real "" is sent as a string outside the vocabulary, which is what the engine's lookup gives it:
// OOV id 0), integer-coded categoricals double [N,1] (NaN = missing), raw-tensor bundles' dense
// [N,w] float and ids int32.
import { exportBundleToOnnx, OnnxExportError, parseManifest, Preprocessor, unpackBundle, type BundleManifest } from '@atelier/engine';
import type * as ort from 'onnxruntime-node';
import type { ServingFieldError } from '../errors.js';
import { signatureValidator, type InputField } from '../input-validation.js';
import { engineInputBuilder } from './engine-inputs.js';
import { TreeExplainer, type Contribution } from './tree-explainer.js';
import { createOnnxSession, runOnnxSession, type OnnxFeeds } from './onnx-session.js';
import type { ModelRuntime } from './runtime.js';

// onnx-proto's element types (TensorProto.DataType) the exporter uses for inputs.
const FLOAT = 1;
const INT32 = 6;
const STRING = 8;
const DOUBLE = 11;

interface Feed {
  name: string;
  elemType: number;
  /** Values per row (1 for a column). */
  width: number;
  /** Strings only: what a real "" is sent as (outside the vocabulary). */
  emptyAs: string;
}

export class EngineOnnxRuntime implements ModelRuntime {
  readonly format = 'atelier' as const;
  readonly inputs: InputField[];
  readonly outputNames: string[];
  readonly validate: (instances: unknown) => readonly ServingFieldError[];
  /** TreeSHAP contributions for gbdt bundles (the engine computes them; the graph has no SHAP). */
  explain?: (instances: Array<Record<string, unknown>>) => Contribution[];
  readonly task: string | null;
  released = false;

  private constructor(
    private session: ort.InferenceSession | null,
    manifest: BundleManifest,
    private readonly feeds: Feed[],
    private readonly output: string,
  ) {
    this.inputs = engineInputBuilder(manifest).fields;
    this.validate = signatureValidator(this.inputs);
    this.outputNames = manifest.output.names;
    this.task = manifest.output.task;
  }

  /** The runtime, or why this bundle stays on the engine. */
  static async load(bytes: Uint8Array, opts: { intraOpNumThreads?: number } = {}): Promise<{ runtime: EngineOnnxRuntime } | { refused: string }> {
    const plain = new Uint8Array(bytes);
    const manifest = parseManifest(unpackBundle(plain).manifest);
    const emptyAs = new Map<string, string>();
    if (manifest.preprocessing) {
      for (const f of Preprocessor.fromJSON(manifest.preprocessing).features) {
        if (f.state.kind !== 'vocabulary') continue;
        const vocab = new Set(f.state.vocabulary);
        if (vocab.has('')) return { refused: `feature '${f.spec.name}' has "" in its vocabulary, which the ONNX graph reads as missing` };
        let s = '\u0000';
        while (vocab.has(s)) s += '\u0000';
        emptyAs.set(f.spec.name, s);
      }
    }
    let exported;
    try {
      exported = exportBundleToOnnx(plain);
    } catch (err) {
      if (err instanceof OnnxExportError) return { refused: err.message };
      throw err;
    }
    const feeds: Feed[] = exported.inputs.map((i) => ({
      name: i.name,
      elemType: i.elemType,
      width: i.dims.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1),
      emptyAs: emptyAs.get(i.name) ?? '\u0000',
    }));
    const session = await createOnnxSession(exported.bytes, opts.intraOpNumThreads);
    const runtime = new EngineOnnxRuntime(session, manifest, feeds, exported.outputs[0].name);
    // Trees: predictions from the graph, contributions (explain) from the engine's TreeSHAP.
    if (manifest.kind === 'gbdt') {
      const explainer = TreeExplainer.fromBundle(plain);
      if (explainer) runtime.explain = (instances) => explainer.explain(instances);
    }
    return { runtime };
  }

  async run(instances: Array<Record<string, unknown>>): Promise<Float32Array> {
    const session = this.session;
    if (!session) throw new Error('engine onnx runtime: used after release()');
    const n = instances.length;
    const feeds: OnnxFeeds = {};
    for (const f of this.feeds) feeds[f.name] = feedOf(f, instances);
    const out = (await runOnnxSession(session, feeds, [this.output]))[this.output].data;
    if (out.length !== n * this.outputNames.length) throw new Error(`engine onnx runtime: ${out.length} values for ${n} rows; the bundle names ${this.outputNames.length} outputs`);
    return out instanceof Float32Array ? out : Float32Array.from(out as ArrayLike<number>, Number);
  }

  async release(): Promise<void> {
    if (!this.session) return;
    const s = this.session;
    this.session = null;
    this.released = true;
    await s.release();
  }
}

function feedOf(f: Feed, instances: Array<Record<string, unknown>>): OnnxFeeds[string] {
  const n = instances.length;
  const name = f.name;
  switch (f.elemType) {
    case STRING: {
      const data = new Array<string>(n);
      for (let r = 0; r < n; r++) {
        const v = instances[r][name];
        data[r] = typeof v === 'string' ? (v === '' ? f.emptyAs : v) : '';
      }
      return { type: 'string', data, dims: [n, 1] };
    }
    case DOUBLE: {
      const data = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = instances[r][name];
        data[r] = typeof v === 'number' ? v : NaN;
      }
      return { type: 'float64', data, dims: [n, 1] };
    }
    case INT32: {
      const w = f.width;
      const data = new Int32Array(n * w);
      for (let r = 0; r < n; r++) {
        const v = instances[r][name];
        if (Array.isArray(v)) for (let j = 0; j < w; j++) data[r * w + j] = v[j] as number;
        else data[r * w] = typeof v === 'number' ? v : 0;
      }
      return { type: 'int32', data, dims: w === 1 ? [n] : [n, w] };
    }
    case FLOAT:
    default: {
      const w = f.width;
      const data = new Float32Array(n * w);
      for (let r = 0; r < n; r++) {
        const v = instances[r][name];
        if (Array.isArray(v)) for (let j = 0; j < w; j++) data[r * w + j] = v[j] as number;
        else if (w === 1) data[r] = typeof v === 'number' ? v : NaN;
        else data.fill(NaN, r * w, (r + 1) * w);
      }
      return { type: 'float32', data, dims: [n, w] };
    }
  }
}
