// The default loss for each task.
import type { ModelInputs } from '../layers/feature-inputs.js';
import { bceWithLogitsLoss, huberLoss, inBatchSoftmaxLoss, mseLoss, pairwiseRankingLoss, softmaxCrossEntropyLoss } from '../losses/losses.js';
import { residentLabels, type Batch, type CannedModel, type ForwardOptions } from '../models/model.js';
import { TwoTower } from '../models/two-tower.js';
import { fromTyped, type Tensor } from '../tensor.js';

export type LossFn = (model: CannedModel, inputs: ModelInputs, batch: Batch, ctx: ForwardOptions) => Tensor;

function labelsOf(batch: Batch, task: string): Float32Array | Int32Array {
  if (!batch.labels) throw new Error(`${task} training needs batch.labels`);
  if (batch.labels.length !== batch.numRows) throw new Error(`batch has ${batch.numRows} rows but ${batch.labels.length} labels`);
  return batch.labels;
}

/** Labels [N] as `dtype`: gathered on the backend for a resident batch, else from the host array. */
function labelTensor(batch: Batch, task: string, dtype: 'float32' | 'int32'): Tensor {
  if (batch.resident) return residentLabels(batch.resident, dtype);
  const l = labelsOf(batch, task);
  if (dtype === 'int32') return fromTyped(l instanceof Int32Array ? l : Int32Array.from(l), [batch.numRows]);
  return fromTyped(Float32Array.from(l), [batch.numRows]);
}

export const defaultLoss: LossFn = (model, inputs, batch, ctx) => {
  switch (model.task) {
    case 'binary':
      return bceWithLogitsLoss(model.forward(inputs, ctx), labelTensor(batch, 'binary', 'float32'));
    case 'regression': {
      const y = labelTensor(batch, 'regression', 'float32');
      const cfg = model.config as { loss?: string; huberDelta?: number };
      return cfg.loss === 'huber' ? huberLoss(model.forward(inputs, ctx), y, cfg.huberDelta ?? 1) : mseLoss(model.forward(inputs, ctx), y);
    }
    case 'multiclass':
      return softmaxCrossEntropyLoss(model.forward(inputs, ctx), labelTensor(batch, 'multiclass', 'int32'));
    case 'ranking':
      // Host labels and groups (batchesFromArrays ignores `resident` for data with groups).
      if (batch.resident) throw new Error('ranking training needs host batches (labels and groups), not resident ones');
      if (!batch.groups) throw new Error('ranking training needs batch.groups (query id per row)');
      return pairwiseRankingLoss(model.forward(inputs, ctx), labelsOf(batch, 'ranking'), batch.groups);
    case 'retrieval': {
      if (!(model instanceof TwoTower)) throw new Error(`retrieval loss needs a two_tower model, got '${model.kind}'`);
      return inBatchSoftmaxLoss(model.userEmbedding(inputs, ctx), model.itemEmbedding(inputs, ctx), model.temperature);
    }
  }
};
