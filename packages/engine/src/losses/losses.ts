// Losses, each reduced to a scalar mean. Built from ops (fused kernels where they pay off).
import { abs, add, bceWithLogits, div, gather, matMul, minimum, mean, mul, reshape, softplus, sparseSoftmaxCrossEntropy, square, sub, neg } from '../ops/index.js';
import { fromTyped, type Tensor } from '../tensor.js';

function flat(x: Tensor): Tensor {
  return x.rank === 1 ? x : reshape(x, [x.size]);
}

function sameSize(what: string, a: Tensor, b: Tensor): void {
  if (a.size !== b.size) throw new Error(`${what}: predictions [${a.shape}] and targets [${b.shape}] differ in size`);
}

/** Binary cross-entropy on logits; labels in [0, 1]. */
export function bceWithLogitsLoss(logits: Tensor, labels: Tensor): Tensor {
  sameSize('bceWithLogitsLoss', logits, labels);
  return mean(bceWithLogits(flat(logits), flat(labels)));
}

/** Softmax cross-entropy: logits [N, C], labels int32 [N]. */
export function softmaxCrossEntropyLoss(logits: Tensor, labels: Tensor): Tensor {
  return mean(sparseSoftmaxCrossEntropy(logits, flat(labels)));
}

export function mseLoss(pred: Tensor, target: Tensor): Tensor {
  sameSize('mseLoss', pred, target);
  return mean(square(sub(flat(pred), flat(target))));
}

/** Huber: 0.5·d² for |d| ≤ δ, δ(|d| − δ/2) beyond; written as 0.5a² + δ(|d| − a), a = min(|d|, δ). */
export function huberLoss(pred: Tensor, target: Tensor, delta = 1): Tensor {
  sameSize('huberLoss', pred, target);
  const d = abs(sub(flat(pred), flat(target)));
  const a = minimum(d, delta);
  return mean(add(mul(square(a), 0.5), mul(sub(d, a), delta)));
}

/**
 * RankNet pairwise logistic loss: for every pair (i, j) in the same query group with
 * label_i > label_j, log(1 + exp(−(s_i − s_j))), averaged over pairs. Pairs are built on the host
 * from labels and groups (data, not tensors). Returns 0 when a batch has no ordered pair.
 */
export function pairwiseRankingLoss(scores: Tensor, labels: ArrayLike<number>, groups: ArrayLike<number>): Tensor {
  const n = scores.size;
  if (labels.length !== n || groups.length !== n) throw new Error(`pairwiseRankingLoss: scores [${scores.shape}], ${labels.length} labels and ${groups.length} groups must match`);
  const hi: number[] = [], lo: number[] = [];
  // Rows of one group are usually contiguous; bucket by group to stay O(sum of group²).
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    let l = byGroup.get(g);
    if (!l) byGroup.set(g, (l = []));
    l.push(i);
  }
  for (const rows of byGroup.values()) {
    for (const i of rows) for (const j of rows) if (labels[i] > labels[j]) {
      hi.push(i);
      lo.push(j);
    }
  }
  const s = reshape(scores, [n, 1]);
  if (hi.length === 0) return mul(mean(s), 0);
  const si = gather(s, fromTyped(Int32Array.from(hi), [hi.length]));
  const sj = gather(s, fromTyped(Int32Array.from(lo), [lo.length]));
  return mean(softplus(neg(sub(si, sj))));
}

/**
 * In-batch negatives for retrieval: logits = (U · Vᵀ) / temperature, [N, N]; row i's positive is
 * column i; softmax cross-entropy over the row.
 */
export function inBatchSoftmaxLoss(user: Tensor, item: Tensor, temperature = 1): Tensor {
  if (user.rank !== 2 || item.rank !== 2 || user.shape[0] !== item.shape[0] || user.shape[1] !== item.shape[1]) {
    throw new Error(`inBatchSoftmaxLoss: user [${user.shape}] and item [${item.shape}] must both be [N, D]`);
  }
  const n = user.shape[0];
  const logits = div(matMul(user, item, { transposeB: true }), temperature);
  const diag = new Int32Array(n);
  for (let i = 0; i < n; i++) diag[i] = i;
  return softmaxCrossEntropyLoss(logits, fromTyped(diag, [n]));
}
