// Glue between the preprocessing module's output and model inputs: one dense block (all numeric
// features, row-major) plus one categorical input per id feature, sized by its cardinality.
import type { FeatureInput } from '../layers/feature-inputs.js';
import type { Batch } from '../models/model.js';

/** The parts of a fitted Preprocessor (or its transform output) that shape model inputs. */
export interface PreprocessedShape {
  denseNames: string[];
  cardinalities: Record<string, number>;
}

export interface PreprocessedInputOptions {
  /** Name of the dense block input; default 'dense'. */
  denseName?: string;
  /** Embedding width per categorical feature: a number, or a rule on the cardinality (default min(16, ceil(6·card^¼))). */
  embeddingDim?: number | ((cardinality: number) => number);
}

export const DEFAULT_DENSE_INPUT = 'dense';

export function featureInputsFor(shape: PreprocessedShape, opts: PreprocessedInputOptions = {}): FeatureInput[] {
  const dim = opts.embeddingDim ?? ((c: number) => Math.min(16, Math.ceil(6 * Math.pow(c, 0.25))));
  const out: FeatureInput[] = [];
  if (shape.denseNames.length > 0) out.push({ name: opts.denseName ?? DEFAULT_DENSE_INPUT, kind: 'dense', width: shape.denseNames.length });
  for (const [name, card] of Object.entries(shape.cardinalities)) {
    out.push({ name, kind: 'categorical', vocabSize: card, embeddingDim: typeof dim === 'number' ? dim : dim(card) });
  }
  return out;
}

/** A training/inference batch from a transform output (no copies). */
export function batchFromTransform(
  out: { numRows: number; dense: Float32Array; denseNames: string[]; categorical: Record<string, Int32Array> },
  extra: { labels?: Float32Array | Int32Array; groups?: Int32Array; denseName?: string } = {},
): Batch {
  const inputs: Batch['inputs'] = {};
  if (out.denseNames.length > 0) inputs[extra.denseName ?? DEFAULT_DENSE_INPUT] = out.dense;
  for (const [name, ids] of Object.entries(out.categorical)) inputs[name] = ids;
  return { numRows: out.numRows, inputs, labels: extra.labels, groups: extra.groups };
}
