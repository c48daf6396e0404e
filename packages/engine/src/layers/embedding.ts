// Embedding lookup and bags (multi-hot). Gradients are sparse: only looked-up rows change.
import { div, gather, maximum, scatterAdd, sum, greaterEqual, expandDims } from '../ops/index.js';
import { fromTyped, type Tensor, type Variable } from '../tensor.js';
import type { Random } from '../util/random.js';
import { makeVariable, type Initializer } from './initializers.js';
import { Layer } from './layer.js';

export type BagCombiner = 'sum' | 'mean';

export interface EmbeddingConfig {
  vocabSize: number;
  dim: number;
  initializer?: Initializer;
}

export class Embedding extends Layer {
  readonly table: Variable;

  constructor(readonly config: EmbeddingConfig, rng: Random) {
    super();
    this.table = this.addVariable('table', makeVariable('table', [config.vocabSize, config.dim], config.initializer ?? { uniform: 0.05 }, config.vocabSize, config.dim, rng));
  }

  /** ids int32 of any shape → [...ids.shape, dim]; id -1 gives a zero vector. */
  call(ids: Tensor): Tensor {
    return gather(this.table, ids);
  }

  /**
   * Bag of ids padded with -1: ids [N, K] → [N, dim], combining valid ids by sum or mean
   * (an all-padding row gives zeros).
   */
  bagPadded(ids: Tensor, combiner: BagCombiner = 'mean'): Tensor {
    if (ids.rank !== 2) throw new Error(`Embedding.bagPadded: ids must be [N, K], got [${ids.shape}]`);
    const summed = sum(gather(this.table, ids), 1);
    if (combiner === 'sum') return summed;
    const counts = sum(greaterEqual(ids, 0), 1, true);
    return div(summed, maximum(counts, 1));
  }

  /**
   * PyTorch EmbeddingBag layout: flat ids [L] and offsets [N] (bag b is ids[offsets[b]:offsets[b+1]]).
   */
  bagOffsets(ids: Int32Array, offsets: Int32Array, combiner: BagCombiner = 'mean'): Tensor {
    const N = offsets.length;
    const seg = new Int32Array(ids.length);
    const counts = new Float32Array(N);
    for (let b = 0; b < N; b++) {
      const end = b + 1 < N ? offsets[b + 1] : ids.length;
      if (offsets[b] > end) throw new Error(`Embedding.bagOffsets: offsets must be non-decreasing (bag ${b})`);
      for (let i = offsets[b]; i < end; i++) {
        seg[i] = ids[i] < 0 ? -1 : b;
        if (ids[i] >= 0) counts[b]++;
      }
    }
    const rows = gather(this.table, fromTyped(ids, [ids.length]));
    const summed = scatterAdd(rows, fromTyped(seg, [seg.length]), N);
    if (combiner === 'sum') return summed;
    for (let b = 0; b < N; b++) counts[b] = Math.max(counts[b], 1);
    return div(summed, expandDims(fromTyped(counts, [N]), 1));
  }
}

