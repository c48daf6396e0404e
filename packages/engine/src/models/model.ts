// What every canned model shares: a kind string, a typed config, a task, forward() and variables.
import type { FeatureInput, ModelInputs } from '../layers/feature-inputs.js';
import type { Module } from '../layers/module.js';
import { tidy } from '../engine.js';
import { fromTyped, type Tensor, type Variable } from '../tensor.js';
import type { Random } from '../util/random.js';

export type ModelKind = 'linear' | 'logistic' | 'softmax' | 'mlp' | 'wide_deep' | 'two_tower' | 'gbdt';
export type Task = 'binary' | 'multiclass' | 'regression' | 'ranking' | 'retrieval';
export type RegressionLoss = 'mse' | 'huber';

export interface ForwardOptions {
  training: boolean;
  /** Randomness for dropout while training. */
  rng?: Random;
}

export interface CannedModel<C = unknown> {
  readonly kind: ModelKind;
  readonly config: C;
  readonly task: Task;
  /** Input features the model reads (for tensorising batches and the bundle signature). */
  readonly features: FeatureInput[];
  /**
   * Raw model output: logits [N] (binary, ranking), predictions [N] (regression), logits [N, C]
   * (multiclass), or the user·item score [N] (retrieval).
   */
  forward(inputs: ModelInputs, training: boolean | ForwardOptions): Tensor;
  /** Trainable variables. */
  parameters(): Variable[];
  /** Every variable (trainable and state) by stable path; what checkpoints and bundles store. */
  namedVariables(): [string, Variable][];
  dispose(): void;
}

export function forwardOptions(t: boolean | ForwardOptions): ForwardOptions {
  return typeof t === 'boolean' ? { training: t } : t;
}

/** A batch of rows as typed arrays: the training and inference unit. */
export interface Batch {
  numRows: number;
  /** dense: Float32Array [N·width]; categorical: Int32Array [N]; multi_hot: Int32Array [N·maxIds] padded with -1 */
  inputs: Record<string, Float32Array | Int32Array>;
  /** binary/regression: Float32Array [N]; multiclass: Int32Array [N]; ranking: relevance Float32Array [N] */
  labels?: Float32Array | Int32Array;
  /** ranking: query-group id per row */
  groups?: Int32Array;
}

export function inputShape(f: FeatureInput, n: number): number[] {
  switch (f.kind) {
    case 'dense':
      return [n, f.width];
    case 'categorical':
      return [n];
    case 'multi_hot':
      return [n, f.maxIds];
  }
}

/** Wrap a batch's typed arrays as tensors (no copy), checking types and sizes. */
export function inputsToTensors(features: FeatureInput[], raw: Record<string, Float32Array | Int32Array>, numRows: number): ModelInputs {
  const out: ModelInputs = {};
  for (const f of features) {
    const v = raw[f.name];
    if (!v) throw new Error(`batch is missing input '${f.name}'`);
    const shape = inputShape(f, numRows);
    const size = shape.reduce((a, b) => a * b, 1);
    const wantInt = f.kind !== 'dense';
    if (wantInt !== v instanceof Int32Array) throw new Error(`input '${f.name}' must be ${wantInt ? 'Int32Array' : 'Float32Array'}`);
    if (v.length !== size) throw new Error(`input '${f.name}' has ${v.length} values, expected ${size} (shape [${shape}])`);
    out[f.name] = fromTyped(v, shape);
  }
  return out;
}

export type { Module };

/** Run `embed` (e.g. a two-tower's userEmbedding) without a tape and copy the rows out. */
export function readRows(embed: (inputs: Record<string, Tensor>, training: boolean) => Tensor, raw: Record<string, Float32Array | Int32Array>, numRows: number): Float32Array {
  return tidyCopy(() => {
    const inputs: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(raw)) inputs[k] = fromTyped(v, v.length === numRows ? [numRows] : [numRows, v.length / numRows]);
    return embed(inputs, false);
  });
}

function tidyCopy(f: () => Tensor): Float32Array {
  return tidy(() => Float32Array.from(f().dataSync()));
}
