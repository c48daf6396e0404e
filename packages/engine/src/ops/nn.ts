// Softmax family and fused losses.
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';

export function softmax(x: Tensor): Tensor {
  return runKernel('Softmax', [x])[0];
}

export function logSoftmax(x: Tensor): Tensor {
  return runKernel('LogSoftmax', [x])[0];
}

/** Per-example softmax cross-entropy: logits [N,C], labels int32 [N] → [N]. */
export function sparseSoftmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  if (logits.rank !== 2) throw new Error(`softmaxCrossEntropy: logits must be [N,C], got [${logits.shape}]`);
  if (labels.dtype !== 'int32' || labels.size !== logits.shape[0]) {
    throw new Error(`softmaxCrossEntropy: labels must be int32 [${logits.shape[0]}], got ${labels.dtype} [${labels.shape}]`);
  }
  return runKernel('SparseSoftmaxCrossEntropy', [logits, labels])[0];
}

/** Elementwise binary cross-entropy on logits (numerically stable). */
export function bceWithLogits(logits: Tensor, labels: Tensor): Tensor {
  if (logits.size !== labels.size) throw new Error(`bceWithLogits: logits [${logits.shape}] and labels [${labels.shape}] differ in size`);
  return runKernel('BceWithLogits', [logits, labels])[0];
}
