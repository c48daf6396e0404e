// What every canned model shares: a kind string, a typed config, a task, forward() and variables.
import type { FeatureInput, ModelInputs } from '../layers/feature-inputs.js';
import type { Module } from '../layers/module.js';
import { tidy } from '../engine.js';
import { gather } from '../ops/gather.js';
import { reshape } from '../ops/shape.js';
import { cast } from '../ops/unary.js';
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
  /**
   * A resident batch (batchesFromArrays with `resident`): the whole data set's columns are kept
   * tensors on the backend and this batch is its `rows` (a slice of the epoch's shuffled index). Then
   * `inputs` is empty and `labels` unset: the step gathers both on the backend (residentRows).
   */
  resident?: ResidentBatch;
}

/** Columns of a whole data set kept as tensors on the backend (one upload). */
export interface ResidentColumns {
  /** Per input: [numRows, width], width = values per row (1 for categorical). */
  inputs: Record<string, Tensor>;
  /** [numRows]: Float32Array or Int32Array labels as given. */
  labels?: Tensor;
}

export interface ResidentBatch {
  columns: ResidentColumns;
  /** Row indices into the columns, in batch order. */
  rows: Int32Array;
}

// One index tensor per batch, shared by the input and label gathers of a step (one upload on a
// device). The step's tidy frees it; a later use of the same batch makes a new one.
const rowTensors = new WeakMap<ResidentBatch, Tensor>();

/** The batch's row indices as an int32 tensor [n] on the active backend. */
export function residentRows(r: ResidentBatch): Tensor {
  let t = rowTensors.get(r);
  if (!t || t.isDisposed) {
    t = fromTyped(r.rows, [r.rows.length]);
    rowTensors.set(r, t);
  }
  return t;
}

/** The batch's labels gathered from a resident column, as `dtype`. */
export function residentLabels(r: ResidentBatch, dtype: 'float32' | 'int32'): Tensor {
  const col = r.columns.labels;
  if (!col) throw new Error('resident batch has no labels');
  const y = gather(col, residentRows(r));
  return y.dtype === dtype ? y : cast(y, dtype);
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

/**
 * Wrap a batch's typed arrays as tensors (no copy), checking types and sizes. With `resident` (a
 * resident batch) the inputs are gathered from the kept columns instead and `raw` is not read.
 */
export function inputsToTensors(features: FeatureInput[], raw: Record<string, Float32Array | Int32Array>, numRows: number, resident?: ResidentBatch): ModelInputs {
  if (resident) return residentInputs(features, resident, numRows);
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

function residentInputs(features: FeatureInput[], r: ResidentBatch, numRows: number): ModelInputs {
  if (r.rows.length !== numRows) throw new Error(`resident batch has ${r.rows.length} rows, expected ${numRows}`);
  const out: ModelInputs = {};
  for (const f of features) {
    const col = r.columns.inputs[f.name];
    if (!col) throw new Error(`batch is missing input '${f.name}'`);
    const shape = inputShape(f, numRows);
    const width = shape.slice(1).reduce((a, b) => a * b, 1);
    const wantInt = f.kind !== 'dense';
    if (wantInt !== (col.dtype === 'int32')) throw new Error(`input '${f.name}' must be ${wantInt ? 'Int32Array' : 'Float32Array'}`);
    const colWidth = col.shape.slice(1).reduce((a, b) => a * b, 1);
    if (colWidth !== width) throw new Error(`input '${f.name}' has ${colWidth} values per row, expected ${width} (shape [${shape}])`);
    out[f.name] = reshape(gather(col, residentRows(r)), shape);
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
