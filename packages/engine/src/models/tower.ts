// A stack of Dense (+ optional norm and dropout) layers: the body of MLP, deep and two-tower models.
import { BatchNorm } from '../layers/batch-norm.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { LayerNorm } from '../layers/layer-norm.js';
import type { Layer } from '../layers/layer.js';
import { Sequential, Activation } from '../layers/sequential.js';
import type { ActivationName } from '../layers/activations.js';
import type { Random } from '../util/random.js';

export interface TowerConfig {
  hiddenUnits: number[];
  activation?: ActivationName;
  dropout?: number;
  normalization?: 'none' | 'batch' | 'layer';
}

/** Hidden layers of each kind when a config leaves them out (the parameter count uses them too). */
export const DEFAULT_HIDDEN_UNITS = { mlp: [256, 128], wide_deep: [128, 64], two_tower: [64] } as const;
/** Width of a two-tower model's shared output space by default. */
export const DEFAULT_TWO_TOWER_OUTPUT_DIM = 32;

export function buildTower(inputDim: number, cfg: TowerConfig, rng: Random): { tower: Sequential; outputDim: number } {
  const layers: Layer[] = [];
  let d = inputDim;
  const act = cfg.activation ?? 'relu';
  for (const units of cfg.hiddenUnits) {
    const norm = cfg.normalization ?? 'none';
    // With normalisation the activation must come after it, so it cannot be fused into the matmul.
    layers.push(new Dense(d, { units, activation: norm === 'none' ? act : 'linear', kernelInitializer: act === 'relu' ? 'he_normal' : 'glorot_uniform' }, rng));
    if (norm === 'batch') layers.push(new BatchNorm(units, rng));
    if (norm === 'layer') layers.push(new LayerNorm(units, 1e-5, rng));
    if (norm !== 'none') layers.push(new Activation(act));
    if (cfg.dropout) layers.push(new Dropout(cfg.dropout));
    d = units;
  }
  return { tower: new Sequential(layers), outputDim: d };
}
