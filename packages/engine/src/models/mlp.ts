// Deep neural network (MLP) over concatenated features.
import { Dense } from '../layers/dense.js';
import { FeatureInputs, type FeatureInput, type ModelInputs } from '../layers/feature-inputs.js';
import { Module } from '../layers/module.js';
import type { Sequential } from '../layers/sequential.js';
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { Random } from '../util/random.js';
import { forwardOptions, type CannedModel, type ForwardOptions, type RegressionLoss, type Task } from './model.js';
import { buildTower, DEFAULT_HIDDEN_UNITS, type TowerConfig } from './tower.js';

export interface MlpConfig extends Partial<TowerConfig> {
  inputs: FeatureInput[];
  /** default 'binary' */
  task?: Exclude<Task, 'retrieval'>;
  numClasses?: number;
  loss?: RegressionLoss;
  huberDelta?: number;
  seed?: number;
}

export function outputUnits(task: Task, numClasses: number | undefined, kind: string): number {
  if (task !== 'multiclass') return 1;
  if (!numClasses || numClasses < 2) throw new Error(`${kind}: multiclass needs numClasses ≥ 2`);
  return numClasses;
}

export class Mlp extends Module implements CannedModel<MlpConfig> {
  readonly kind = 'mlp' as const;
  readonly task: Exclude<Task, 'retrieval'>;
  readonly front: FeatureInputs;
  readonly body: Sequential;
  readonly head: Dense;

  constructor(readonly config: MlpConfig) {
    super();
    this.task = config.task ?? 'binary';
    const rng = new Random(config.seed ?? 0);
    this.front = this.addChild('inputs', new FeatureInputs(config.inputs, rng));
    const { tower, outputDim } = buildTower(this.front.width, { ...config, hiddenUnits: config.hiddenUnits ?? [...DEFAULT_HIDDEN_UNITS.mlp] }, rng);
    this.body = this.addChild('body', tower);
    this.head = this.addChild('head', new Dense(outputDim, { units: outputUnits(this.task, config.numClasses, 'mlp') }, rng));
  }

  get features(): FeatureInput[] {
    return this.config.inputs;
  }

  forward(inputs: ModelInputs, training: boolean | ForwardOptions): Tensor {
    const ctx = forwardOptions(training);
    const y = this.head.call(this.body.call(this.front.call(inputs), ctx));
    return this.head.config.units === 1 ? reshape(y, [y.shape[0]]) : y;
  }
}
