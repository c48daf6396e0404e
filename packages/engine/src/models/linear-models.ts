// Generalised linear models: linear regression, logistic regression, softmax regression.
// Categorical inputs contribute through embeddings (dimension = their configured embeddingDim).
import { Dense } from '../layers/dense.js';
import { FeatureInputs, type FeatureInput, type ModelInputs } from '../layers/feature-inputs.js';
import { Module } from '../layers/module.js';
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { Random } from '../util/random.js';
import type { CannedModel, ForwardOptions, RegressionLoss } from './model.js';

export interface LinearConfig {
  inputs: FeatureInput[];
  /** regression loss; default mse */
  loss?: RegressionLoss;
  huberDelta?: number;
  seed?: number;
}
export type LogisticConfig = Omit<LinearConfig, 'loss' | 'huberDelta'>;
export interface SoftmaxConfig {
  inputs: FeatureInput[];
  numClasses: number;
  seed?: number;
}

abstract class GeneralizedLinear<C extends { inputs: FeatureInput[]; seed?: number }> extends Module {
  readonly front: FeatureInputs;
  readonly head: Dense;

  constructor(readonly config: C, units: number) {
    super();
    const rng = new Random(config.seed ?? 0);
    this.front = this.addChild('inputs', new FeatureInputs(config.inputs, rng));
    this.head = this.addChild('head', new Dense(this.front.width, { units, kernelInitializer: 'zeros' }, rng));
  }

  get features(): FeatureInput[] {
    return this.config.inputs;
  }

  forward(inputs: ModelInputs, _training: boolean | ForwardOptions): Tensor {
    const y = this.head.call(this.front.call(inputs));
    return this.head.config.units === 1 ? reshape(y, [y.shape[0]]) : y;
  }
}

export class LinearRegression extends GeneralizedLinear<LinearConfig> implements CannedModel<LinearConfig> {
  readonly kind = 'linear' as const;
  readonly task = 'regression' as const;
  constructor(config: LinearConfig) {
    super(config, 1);
  }
}

export class LogisticRegression extends GeneralizedLinear<LogisticConfig> implements CannedModel<LogisticConfig> {
  readonly kind = 'logistic' as const;
  readonly task = 'binary' as const;
  constructor(config: LogisticConfig) {
    super(config, 1);
  }
}

export class SoftmaxRegression extends GeneralizedLinear<SoftmaxConfig> implements CannedModel<SoftmaxConfig> {
  readonly kind = 'softmax' as const;
  readonly task = 'multiclass' as const;
  constructor(config: SoftmaxConfig) {
    if (!(config.numClasses >= 2)) throw new Error(`softmax regression: numClasses must be ≥ 2, got ${config.numClasses}`);
    super(config, config.numClasses);
  }
}
