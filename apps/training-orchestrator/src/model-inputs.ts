// Which canned model a spec builds and how the fitted preprocessor's output maps onto its inputs
// (the mapping itself, written into the bundle, is the engine's: inference/input-mapping.ts).
import { INPUT_MAPPING_FORMAT, type FeatureInput, type InputMapping, type ModelKind, type ModelSpec, type Preprocessor } from '@atelier/engine';
import type { TrainTask } from './training-spec.js';


/** Reserved dense input names (a feature may not use them). */
export const DENSE_INPUT = '__dense';
export const USER_DENSE_INPUT = '__user_dense';
export const ITEM_DENSE_INPUT = '__item_dense';

export class ModelSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelSetupError';
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? (v as string[]) : undefined);

/** Build the engine's ModelSpec (kind + config) and the input mapping from the fitted preprocessor. */
export function buildModelSpec(
  kind: ModelKind,
  hyper: Record<string, unknown>,
  pre: Preprocessor,
  task: TrainTask,
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
    if (user.size === 0 || item.size === 0) throw new ModelSetupError('two_tower needs hyperparameters.userFeatures and itemFeatures');
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
      if (wideInputs.length === 0) throw new ModelSetupError('wide_deep needs at least one wide feature (hyperparameters.wideFeatures)');
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
    default:
      throw new ModelSetupError(`unknown model kind '${String(kind)}'`);
  }
}
