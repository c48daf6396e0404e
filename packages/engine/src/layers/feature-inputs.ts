// The functional front of every canned model: named inputs → per-feature encoding → one concat.
// Dense features pass through; categorical ones go through an embedding; multi-hot ones through
// an embedding bag (ids padded with -1).
import { concat, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import type { Random } from '../util/random.js';
import { Embedding, type BagCombiner } from './embedding.js';
import { Module } from './module.js';

export type FeatureInput =
  /** float32 [N, width] */
  | { name: string; kind: 'dense'; width: number }
  /** int32 [N] ids in [0, vocabSize) */
  | { name: string; kind: 'categorical'; vocabSize: number; embeddingDim: number }
  /** int32 [N, K] ids, -1 = padding */
  | { name: string; kind: 'multi_hot'; vocabSize: number; embeddingDim: number; maxIds: number; combiner?: BagCombiner };

export type ModelInputs = Record<string, Tensor>;

export function featureWidth(f: FeatureInput): number {
  return f.kind === 'dense' ? f.width : f.embeddingDim;
}

export class FeatureInputs extends Module {
  readonly width: number;
  private readonly embeddings = new Map<string, Embedding>();

  constructor(readonly features: FeatureInput[], rng: Random) {
    super();
    if (features.length === 0) throw new Error('FeatureInputs: at least one input feature is required');
    const names = new Set<string>();
    for (const f of features) {
      if (names.has(f.name)) throw new Error(`FeatureInputs: duplicate input '${f.name}'`);
      names.add(f.name);
      if (f.kind !== 'dense') this.embeddings.set(f.name, this.addChild(f.name, new Embedding({ vocabSize: f.vocabSize, dim: f.embeddingDim }, rng)));
    }
    this.width = features.reduce((s, f) => s + featureWidth(f), 0);
  }

  call(inputs: ModelInputs): Tensor {
    const parts: Tensor[] = [];
    let n = -1;
    for (const f of this.features) {
      const x = inputs[f.name];
      if (!x) throw new Error(`missing model input '${f.name}' (expected: ${this.features.map((g) => g.name).join(', ')})`);
      if (n < 0) n = x.shape[0];
      if (x.shape[0] !== n) throw new Error(`input '${f.name}' has ${x.shape[0]} rows, expected ${n}`);
      if (f.kind === 'dense') {
        if (x.dtype !== 'float32' || x.size !== n * f.width) throw new Error(`input '${f.name}' must be float32 [N, ${f.width}], got ${x.dtype} [${x.shape}]`);
        parts.push(x.rank === 2 ? x : reshape(x, [n, f.width]));
      } else if (f.kind === 'categorical') {
        if (x.dtype !== 'int32' || x.size !== n) throw new Error(`input '${f.name}' must be int32 [N], got ${x.dtype} [${x.shape}]`);
        parts.push(this.embeddings.get(f.name)!.call(x.rank === 1 ? x : reshape(x, [n])));
      } else {
        if (x.dtype !== 'int32' || x.rank !== 2) throw new Error(`input '${f.name}' must be int32 [N, K] padded with -1, got ${x.dtype} [${x.shape}]`);
        parts.push(this.embeddings.get(f.name)!.bagPadded(x, f.combiner ?? 'mean'));
      }
    }
    return parts.length === 1 ? parts[0] : concat(parts, 1);
  }
}
