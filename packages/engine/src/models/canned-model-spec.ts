// Which canned model a training job's kind and hyperparameters build, and how the preprocessor's
// output maps onto its inputs (the mapping, written into the bundle: inference/input-mapping.ts).
// Pure and shared: the training orchestrator builds the model from it at run time, and the gateway
// builds the same spec at submit (over an estimated layout) to refuse what would fail or be too big.
import { INPUT_MAPPING_FORMAT, type InputMapping } from '../inference/input-mapping.js';
import type { FeatureInput } from '../layers/feature-inputs.js';
import type { FeatureSpec } from '../preprocessing/index.js';
import type { ModelSpec } from './create-model.js';
import type { ModelKind, Task } from './model.js';
import { gbdtParamsFromHyperparameters } from '../trees/gbdt-hyperparameters.js';

/** What a canned model is trained for. */
export type CannedTask = Exclude<Task, 'ranking'>;

/** The parts of a fitted Preprocessor that shape model inputs (a Preprocessor is one). */
export interface InputLayout {
  readonly denseNames: readonly string[];
  readonly categoricalNames: readonly string[];
  readonly cardinalities: Readonly<Record<string, number>>;
}

/** Reserved dense input names (a feature may not use them). */
export const DENSE_INPUT = '__dense';
export const USER_DENSE_INPUT = '__user_dense';
export const ITEM_DENSE_INPUT = '__item_dense';

/** A job spec that cannot build its model; `field` points into the spec (e.g. /model/hyperparameters/wideFeatures). */
export class ModelSetupError extends Error {
  constructor(
    message: string,
    readonly field = '/model',
  ) {
    super(message);
    this.name = 'ModelSetupError';
  }
}

/** The task of a kind (mlp and wide_deep: hyperparameters.task, default binary). */
export function cannedTask(kind: ModelKind, hyper: Record<string, unknown> = {}): CannedTask {
  switch (kind) {
    case 'linear':
      return 'regression';
    case 'logistic':
      return 'binary';
    case 'softmax':
      return 'multiclass';
    case 'two_tower':
      return 'retrieval';
    default: {
      const t = hyper.task;
      return t === 'multiclass' || t === 'regression' ? t : 'binary';
    }
  }
}

/**
 * The layout a preprocessor fitted on `features` will have, before any data is seen: numeric features
 * other than bucketize are dense columns, the rest are ids; `cardinality` bounds each id feature.
 */
export function layoutOf(features: readonly FeatureSpec[], cardinality: (f: FeatureSpec) => number): InputLayout {
  const dense = (f: FeatureSpec) => f.type === 'numeric' && f.transform !== 'bucketize';
  const categorical = features.filter((f) => !dense(f));
  return {
    denseNames: features.filter(dense).map((f) => f.name),
    categoricalNames: categorical.map((f) => f.name),
    cardinalities: Object.fromEntries(categorical.map((f) => [f.name, cardinality(f)])),
  };
}

/**
 * At most how many ids a fitted feature will have (its embedding table's rows), given at most
 * `distinctValues` distinct values in the data: bucketize k buckets, hash its buckets, vocabulary its
 * kept values (maxSize) plus the out-of-vocabulary buckets, as the PreprocessorFitter builds them.
 */
export function cardinalityBound(f: FeatureSpec, distinctValues: number): number {
  const o = f.options ?? {};
  if (f.transform === 'bucketize') return o.boundaries ? o.boundaries.length + 1 : (o.numBuckets ?? 2);
  if (f.transform === 'hash') return o.hashBuckets ?? 1;
  return Math.min(o.maxSize ?? distinctValues, distinctValues) + (o.numOovBuckets ?? 1);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);

/**
 * Build the engine's ModelSpec (kind + config) and the input mapping from the fitted preprocessor (or
 * a layout estimated at submit). Throws ModelSetupError for a spec no data can fix.
 */
export function buildModelSpec(
  kind: ModelKind,
  hyper: Record<string, unknown>,
  pre: InputLayout,
  task: CannedTask,
  numClasses: number,
  seed: number,
): { spec: ModelSpec; mapping: InputMapping } {
  const isGlm = kind === 'linear' || kind === 'logistic' || kind === 'softmax';
  const embeddingDim = num(hyper.embeddingDim) ?? (kind === 'softmax' ? numClasses : isGlm ? 1 : 8);
  const categoricalInput = (name: string, dim = embeddingDim): FeatureInput => ({
    name,
    kind: 'categorical',
    vocabSize: pre.cardinalities[name],
    embeddingDim: dim,
  });
  const denseInput = (name: string, width: number): FeatureInput => ({ name, kind: 'dense', width });
  const tower = {
    ...(hyper.hiddenUnits !== undefined && { hiddenUnits: hyper.hiddenUnits as number[] }),
    ...(hyper.activation !== undefined && { activation: hyper.activation as 'relu' }),
    ...(hyper.dropout !== undefined && { dropout: hyper.dropout as number }),
    ...(hyper.normalization !== undefined && { normalization: hyper.normalization as 'none' }),
  };
  const regression = {
    ...(hyper.loss !== undefined && { loss: hyper.loss as 'mse' | 'huber' }),
    ...(hyper.huberDelta !== undefined && { huberDelta: hyper.huberDelta as number }),
  };

  if (kind === 'two_tower') {
    const user = new Set(strs(hyper.userFeatures) ?? []);
    const item = new Set(strs(hyper.itemFeatures) ?? []);
    if (user.size === 0 || item.size === 0) throw new ModelSetupError('two_tower needs hyperparameters.userFeatures and itemFeatures', '/model/hyperparameters');
    const userDense = pre.denseNames.filter((n) => user.has(n));
    const itemDense = pre.denseNames.filter((n) => item.has(n));
    const userInputs: FeatureInput[] = [];
    const itemInputs: FeatureInput[] = [];
    const dense: Record<string, string[]> = {};
    if (userDense.length) {
      userInputs.push(denseInput(USER_DENSE_INPUT, userDense.length));
      dense[USER_DENSE_INPUT] = userDense;
    }
    if (itemDense.length) {
      itemInputs.push(denseInput(ITEM_DENSE_INPUT, itemDense.length));
      dense[ITEM_DENSE_INPUT] = itemDense;
    }
    const categorical: string[] = [];
    for (const name of pre.categoricalNames) {
      if (user.has(name)) userInputs.push(categoricalInput(name));
      else if (item.has(name)) itemInputs.push(categoricalInput(name));
      else continue;
      categorical.push(name);
    }
    return {
      spec: {
        kind,
        config: {
          userInputs,
          itemInputs,
          ...tower,
          ...(hyper.outputDim !== undefined && { outputDim: hyper.outputDim as number }),
          ...(hyper.temperature !== undefined && { temperature: hyper.temperature as number }),
          ...(hyper.normalize !== undefined && { normalize: hyper.normalize as boolean }),
          seed,
        },
      },
      mapping: { format: INPUT_MAPPING_FORMAT, dense, categorical },
    };
  }

  const inputs: FeatureInput[] = [];
  const dense: Record<string, string[]> = {};
  if (pre.denseNames.length) {
    inputs.push(denseInput(DENSE_INPUT, pre.denseNames.length));
    dense[DENSE_INPUT] = [...pre.denseNames];
  }
  for (const name of pre.categoricalNames) inputs.push(categoricalInput(name));
  const mapping: InputMapping = { format: INPUT_MAPPING_FORMAT, dense, categorical: [...pre.categoricalNames] };
  const modelTask = task === 'retrieval' ? 'binary' : task;
  switch (kind) {
    case 'linear':
      return { spec: { kind, config: { inputs, ...regression, seed } }, mapping };
    case 'logistic':
      return { spec: { kind, config: { inputs, seed } }, mapping };
    case 'softmax':
      return { spec: { kind, config: { inputs, numClasses, seed } }, mapping };
    case 'mlp':
      return {
        spec: { kind, config: { inputs, task: modelTask, ...(modelTask === 'multiclass' && { numClasses }), ...tower, ...regression, seed } },
        mapping,
      };
    case 'wide_deep': {
      const wideNames = new Set(strs(hyper.wideFeatures) ?? pre.categoricalNames);
      const wideInputs: FeatureInput[] = [];
      if (pre.denseNames.some((n) => wideNames.has(n))) {
        // Wide dense features share the deep dense input: a linear term over every dense column.
        wideInputs.push(denseInput(DENSE_INPUT, pre.denseNames.length));
      }
      for (const name of pre.categoricalNames) if (wideNames.has(name)) wideInputs.push(categoricalInput(name, 1));
      if (wideInputs.length === 0) {
        throw new ModelSetupError(
          'wide_deep needs at least one wide feature: list some in hyperparameters.wideFeatures, or add a categorical or bucketized feature (those are wide by default)',
          '/model/hyperparameters/wideFeatures',
        );
      }
      return {
        spec: {
          kind,
          config: {
            wideInputs,
            deepInputs: inputs,
            task: modelTask as 'binary' | 'multiclass' | 'regression',
            ...(modelTask === 'multiclass' && { numClasses }),
            ...tower,
            ...regression,
            seed,
          },
        },
        mapping,
      };
    }
    case 'gbdt': {
      // Trees read the same dense block and id inputs; ids are split on as category sets.
      const treeInputs = inputs.map((f) => (f.kind === 'categorical' ? { ...f, embeddingDim: 1 } : f));
      const t = modelTask as 'binary' | 'multiclass' | 'regression';
      return {
        spec: { kind, config: { task: t, ...(t === 'multiclass' && { numClasses }), inputs: treeInputs, params: gbdtParamsFromHyperparameters(hyper, t, numClasses, seed) } },
        mapping,
      };
    }
    default:
      throw new ModelSetupError(`unknown model kind '${String(kind)}'`, '/model/kind');
  }
}
