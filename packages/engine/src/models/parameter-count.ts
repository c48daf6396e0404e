// How many values a model spec's variables hold, by arithmetic on its config: nothing is allocated,
// so a spec too big to build (65,536 units × 16 layers) can be refused before it is trained. The
// models test checks the count against the variables of the models createModel builds.
import type { FeatureInput } from '../layers/feature-inputs.js';
import type { ModelSpec } from './create-model.js';
import { outputUnits } from './mlp.js';
import { DEFAULT_HIDDEN_UNITS, DEFAULT_TWO_TOWER_OUTPUT_DIM, type TowerConfig } from './tower.js';

export interface ParameterCount {
  total: number;
  /** Embedding table sizes per input name (summed when an input appears in several parts). */
  embeddings: Record<string, number>;
}

export function countParameters(spec: ModelSpec): ParameterCount {
  const embeddings: Record<string, number> = {};
  let total = 0;
  /** Embedding tables of the inputs; returns the concatenated width. */
  const front = (inputs: readonly FeatureInput[]): number => {
    let width = 0;
    for (const f of inputs) {
      if (f.kind === 'dense') {
        width += f.width;
        continue;
      }
      const table = f.vocabSize * f.embeddingDim;
      embeddings[f.name] = (embeddings[f.name] ?? 0) + table;
      total += table;
      width += f.embeddingDim;
    }
    return width;
  };
  const dense = (inputDim: number, units: number, bias = true) => {
    total += inputDim * units + (bias ? units : 0);
  };
  /** buildTower's layers: Dense, then batch norm (gamma, beta, running mean and variance) or layer norm (gamma, beta). */
  const tower = (inputDim: number, cfg: Partial<TowerConfig>, defaults: readonly number[]): number => {
    let d = inputDim;
    for (const units of cfg.hiddenUnits ?? defaults) {
      dense(d, units);
      if (cfg.normalization === 'batch') total += 4 * units;
      if (cfg.normalization === 'layer') total += 2 * units;
      d = units;
    }
    return d;
  };

  switch (spec.kind) {
    case 'linear':
    case 'logistic':
      dense(front(spec.config.inputs), 1);
      break;
    case 'softmax':
      dense(front(spec.config.inputs), spec.config.numClasses);
      break;
    case 'mlp': {
      const c = spec.config;
      dense(tower(front(c.inputs), c, DEFAULT_HIDDEN_UNITS.mlp), outputUnits(c.task ?? 'binary', c.numClasses, 'mlp'));
      break;
    }
    case 'wide_deep': {
      const c = spec.config;
      const units = outputUnits(c.task ?? 'binary', c.numClasses, 'wide_deep');
      dense(front(c.wideInputs), units);
      dense(tower(front(c.deepInputs), c, DEFAULT_HIDDEN_UNITS.wide_deep), units, false);
      break;
    }
    case 'two_tower': {
      const c = spec.config;
      for (const inputs of [c.userInputs, c.itemInputs]) dense(tower(front(inputs), c, DEFAULT_HIDDEN_UNITS.two_tower), c.outputDim ?? DEFAULT_TWO_TOWER_OUTPUT_DIM);
      break;
    }
    case 'gbdt': {
      // At most this many nodes (each a handful of numbers): trees × outputs × nodes of a full tree.
      const p = spec.config.params;
      const leaves = p.maxLeaves ? p.maxLeaves : 2 ** Math.min(30, p.maxDepth ?? 6);
      const K = spec.config.task === 'multiclass' ? (spec.config.numClasses ?? 2) : 1;
      total += (p.numRounds ?? 100) * K * (2 * leaves - 1);
      break;
    }
  }
  return { total, embeddings };
}
