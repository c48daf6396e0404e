// Serving path: no tape, no per-call graph, engine buffers recycled through the float pool, one
// batched forward pass per call. N rows in → N predictions out (N×C for multiclass).
import { activeTape, readSync, tidy } from '../engine.js';
import { inputsToTensors, type Batch, type CannedModel } from '../models/model.js';
import { sigmoid, softmax } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { GbdtModel } from '../trees/gbdt-model.js';

export interface Predictor {
  readonly model: CannedModel;
  /** Values per row: 1, or the class count for multiclass. */
  readonly outputWidth: number;
  /**
   * Predictions for `batch`: probabilities (binary, multiclass), values (regression), scores
   * (ranking, retrieval). Writes into `out` when given (length ≥ N·outputWidth), else a new array.
   */
  predict(batch: Pick<Batch, 'numRows' | 'inputs'>, out?: Float32Array): Float32Array;
}

export function createPredictor(model: CannedModel): Predictor {
  if (model instanceof GbdtModel) return createTreePredictor(model);
  const cfg = model.config as { numClasses?: number };
  const outputWidth = model.task === 'multiclass' ? (cfg.numClasses ?? 1) : 1;
  const transform = (y: Tensor): Tensor => {
    if (model.task === 'binary') return sigmoid(y);
    if (model.task === 'multiclass') return softmax(y);
    return y;
  };
  return {
    model,
    outputWidth,
    predict(batch, out) {
      if (activeTape()) throw new Error('predict: called inside a gradient computation');
      const n = batch.numRows;
      const need = n * outputWidth;
      if (out && out.length < need) throw new Error(`predict: output buffer has ${out.length} slots, needs ${need}`);
      const dst = out ?? new Float32Array(need);
      tidy(() => {
        const y = transform(model.forward(inputsToTensors(model.features, batch.inputs, n), false));
        const v = readSync(y);
        if (v.length !== need) throw new Error(`predict: model produced ${v.length} values for ${n} rows`);
        dst.set(v.length === dst.length ? v : v.subarray(0, need));
      });
      return dst;
    },
  };
}

/**
 * Boosted trees: no tensors at all — inputs laid into one row-major float32 matrix (reused between
 * calls of the same size), the ensemble evaluated block-wise over it, the task's transform in place.
 */
function createTreePredictor(model: GbdtModel): Predictor {
  const K = model.outputWidth;
  let x = new Float32Array(0);
  let margins = new Float64Array(0);
  return {
    model,
    outputWidth: K,
    predict(batch, out) {
      const n = batch.numRows;
      const need = n * K;
      if (out && out.length < need) throw new Error(`predict: output buffer has ${out.length} slots, needs ${need}`);
      const dst = out ?? new Float32Array(need);
      if (x.length < n * model.numFeatures) x = new Float32Array(n * model.numFeatures);
      if (margins.length < need) margins = new Float64Array(need);
      model.matrix(batch.inputs, n, x);
      model.ensemble.predictRaw(x, n, margins);
      if (model.task === 'binary') {
        for (let i = 0; i < n; i++) dst[i] = 1 / (1 + Math.exp(-margins[i]));
      } else if (model.task === 'multiclass') {
        for (let i = 0; i < n; i++) {
          let mx = -Infinity;
          for (let k = 0; k < K; k++) mx = Math.max(mx, margins[i * K + k]);
          let z = 0;
          for (let k = 0; k < K; k++) z += Math.exp(margins[i * K + k] - mx);
          for (let k = 0; k < K; k++) dst[i * K + k] = Math.exp(margins[i * K + k] - mx) / z;
        }
      } else {
        for (let i = 0; i < need; i++) dst[i] = margins[i];
      }
      return dst;
    },
  };
}
