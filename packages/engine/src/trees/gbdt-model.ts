// The `gbdt` model kind as a CannedModel: its inputs are the usual named inputs (one dense block and
// categorical id inputs, from the input mapping), laid side by side as the ensemble's features — dense
// columns first (numeric splits), then each categorical input (category-set splits). It has no
// variables: bundles and checkpoints store the ensemble's arrays (ensemble-codec.ts) and the binner.
import type { FeatureInput, ModelInputs } from '../layers/feature-inputs.js';
import type { CannedModel, Task } from '../models/model.js';
import { fromTyped, type Tensor, type Variable } from '../tensor.js';
import { readSync } from '../engine.js';
import { QuantileBinner, type BinnerJSON } from './binning.js';
import { decodeEnsemble, encodeEnsemble } from './ensemble-codec.js';
import type { GbdtParams } from './gbdt-trainer.js';
import type { TreeEnsemble } from './tree-ensemble.js';

export interface GbdtModelConfig {
  task: Exclude<Task, 'retrieval'>;
  numClasses?: number;
  /** Dense inputs ([N, width]) and categorical id inputs ([N]), in ensemble feature order. */
  inputs: FeatureInput[];
  /** The training parameters (for the record: lineage, importance). */
  params: Partial<GbdtParams>;
}

/** Which ensemble features are categorical, for `inputs` (dense columns, then one per id input). */
export function featureKinds(inputs: readonly FeatureInput[]): boolean[] {
  const out: boolean[] = [];
  for (const f of inputs) {
    if (f.kind === 'dense') for (let j = 0; j < f.width; j++) out.push(false);
    else if (f.kind === 'categorical') out.push(true);
    else throw new Error(`gbdt: input '${f.name}' is multi_hot; trees take dense and categorical inputs`);
  }
  return out;
}

/** Row-major N × F float32 matrix of named inputs in ensemble feature order (ids as exact floats). */
export function featureMatrix(
  inputs: readonly FeatureInput[],
  raw: Record<string, Float32Array | Int32Array>,
  numRows: number,
  out?: Float32Array,
): Float32Array {
  let F = 0;
  for (const f of inputs) F += f.kind === 'dense' ? f.width : 1;
  const dst = out ?? new Float32Array(numRows * F);
  let col = 0;
  for (const f of inputs) {
      const v = raw[f.name];
      if (!v) throw new Error(`batch is missing input '${f.name}'`);
      if (f.kind === 'dense') {
        const w = f.width;
        if (!(v instanceof Float32Array) || v.length !== numRows * w) throw new Error(`input '${f.name}' must be a Float32Array of ${numRows * w} values`);
        for (let i = 0; i < numRows; i++) for (let j = 0; j < w; j++) dst[i * F + col + j] = v[i * w + j];
        col += w;
      } else {
        if (!(v instanceof Int32Array) || v.length !== numRows) throw new Error(`input '${f.name}' must be an Int32Array of ${numRows} values`);
        for (let i = 0; i < numRows; i++) dst[i * F + col] = v[i];
        col += 1;
      }
    }
    return dst;
}

export class GbdtModel implements CannedModel<GbdtModelConfig> {
  readonly kind = 'gbdt' as const;
  readonly task: GbdtModelConfig['task'];
  readonly features: FeatureInput[];
  readonly numFeatures: number;
  /** Per ensemble feature: split as a category set. */
  readonly categorical: boolean[];

  constructor(
    readonly config: GbdtModelConfig,
    readonly ensemble: TreeEnsemble,
    readonly binner: QuantileBinner | null = null,
  ) {
    this.task = config.task;
    this.features = config.inputs;
    this.categorical = featureKinds(config.inputs);
    this.numFeatures = this.categorical.length;
    if (ensemble.numFeatures !== this.numFeatures) throw new Error(`gbdt: the ensemble has ${ensemble.numFeatures} features, the inputs ${this.numFeatures}`);
  }

  get outputWidth(): number {
    return this.ensemble.outputWidth;
  }

  /** Row-major N × numFeatures float32 matrix from named inputs (ids as exact floats). */
  matrix(raw: Record<string, Float32Array | Int32Array>, numRows: number, out = new Float32Array(numRows * this.numFeatures)): Float32Array {
    return featureMatrix(this.features, raw, numRows, out);
  }

  /** Raw margins (N × outputWidth, float64). */
  predictRaw(raw: Record<string, Float32Array | Int32Array>, numRows: number): Float64Array {
    return this.ensemble.predictRaw(this.matrix(raw, numRows), numRows, new Float64Array(numRows * this.outputWidth));
  }

  forward(inputs: ModelInputs, _training: unknown): Tensor {
    const raw: Record<string, Float32Array | Int32Array> = {};
    let n = 0;
    for (const f of this.features) {
      const t = inputs[f.name];
      if (!t) throw new Error(`batch is missing input '${f.name}'`);
      n = t.shape[0];
      raw[f.name] = readSync(t) as Float32Array | Int32Array;
    }
    const m = this.predictRaw(raw, n);
    const K = this.outputWidth;
    return fromTyped(Float32Array.from(m), K === 1 ? [n] : [n, K]);
  }

  parameters(): Variable[] {
    return [];
  }
  namedVariables(): [string, Variable][] {
    return [];
  }
  dispose(): void {}

  /** Bundle tensors: the ensemble and the fitted bins (cuts concatenated, per-feature offsets). */
  tensors(): Record<string, Float32Array> {
    const out = encodeEnsemble(this.ensemble);
    if (this.binner) {
      const j = this.binner.toJSON();
      out['bins/cuts'] = Float32Array.from(j.features.flatMap((f) => f.cuts));
      out['bins/num_cuts'] = Float32Array.from(j.features, (f) => f.cuts.length);
      out['bins/num_bins'] = Float32Array.from(j.features, (f) => f.numBins);
      out['bins/categorical'] = Float32Array.from(j.features, (f) => (f.categorical ? 1 : 0));
      out['bins/max_bins'] = Float32Array.of(j.maxBins);
    }
    return out;
  }

  static fromTensors(config: GbdtModelConfig, t: Record<string, Float32Array>): GbdtModel {
    let binner: QuantileBinner | null = null;
    if (t['bins/cuts']) {
      const cuts = t['bins/cuts'];
      let o = 0;
      const j: BinnerJSON = {
        maxBins: t['bins/max_bins'][0],
        features: Array.from(t['bins/num_cuts'], (n, f) => {
          const c = Array.from(cuts.subarray(o, o + n));
          o += n;
          return { categorical: t['bins/categorical'][f] === 1, cuts: c, numBins: t['bins/num_bins'][f] };
        }),
      };
      binner = QuantileBinner.fromJSON(j);
    }
    return new GbdtModel(config, decodeEnsemble(t), binner);
  }
}

/** Per-feature total split gain (XGBoost's "total_gain" importance), in ensemble feature order. */
export function gainImportance(e: TreeEnsemble): Float64Array {
  const a = e.arrays();
  const out = new Float64Array(e.numFeatures);
  for (let i = 0; i < a.feature.length; i++) if (a.feature[i] >= 0) out[a.feature[i]] += a.gain[i];
  return out;
}
