// Wide & deep: a linear "wide" part (memorisation: crosses, sparse ids as 1-d embeddings) plus an
// MLP "deep" part (generalisation); their logits add.
import { Dense } from '../layers/dense.js';
import { FeatureInputs, type FeatureInput, type ModelInputs } from '../layers/feature-inputs.js';
import { Module } from '../layers/module.js';
import type { Sequential } from '../layers/sequential.js';
import { add, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { Random } from '../util/random.js';
import { outputUnits } from './mlp.js';
import { forwardOptions, type CannedModel, type ForwardOptions, type RegressionLoss, type Task } from './model.js';
import { buildTower, DEFAULT_HIDDEN_UNITS, type TowerConfig } from './tower.js';

export interface WideDeepConfig extends Partial<TowerConfig> {
  /** Wide inputs; categorical ones usually with embeddingDim 1 (a learned weight per id). */
  wideInputs: FeatureInput[];
  deepInputs: FeatureInput[];
  task?: Exclude<Task, 'retrieval' | 'ranking'>;
  numClasses?: number;
  loss?: RegressionLoss;
  huberDelta?: number;
  seed?: number;
}

export class WideDeep extends Module implements CannedModel<WideDeepConfig> {
  readonly kind = 'wide_deep' as const;
  readonly task: Exclude<Task, 'retrieval' | 'ranking'>;
  readonly wideFront: FeatureInputs;
  readonly wide: Dense;
  readonly deepFront: FeatureInputs;
  readonly deep: Sequential;
  readonly deepHead: Dense;

  constructor(readonly config: WideDeepConfig) {
    super();
    this.task = config.task ?? 'binary';
    const rng = new Random(config.seed ?? 0);
    const units = outputUnits(this.task, config.numClasses, 'wide_deep');
    this.wideFront = this.addChild('wide_inputs', new FeatureInputs(config.wideInputs, rng));
    this.wide = this.addChild('wide', new Dense(this.wideFront.width, { units, kernelInitializer: 'zeros' }, rng));
    this.deepFront = this.addChild('deep_inputs', new FeatureInputs(config.deepInputs, rng));
    const { tower, outputDim } = buildTower(this.deepFront.width, { ...config, hiddenUnits: config.hiddenUnits ?? [...DEFAULT_HIDDEN_UNITS.wide_deep] }, rng);
    this.deep = this.addChild('deep', tower);
    this.deepHead = this.addChild('deep_head', new Dense(outputDim, { units, useBias: false }, rng));
  }

  get features(): FeatureInput[] {
    const seen = new Map<string, FeatureInput>();
    for (const f of [...this.config.wideInputs, ...this.config.deepInputs]) if (!seen.has(f.name)) seen.set(f.name, f);
    return [...seen.values()];
  }

  forward(inputs: ModelInputs, training: boolean | ForwardOptions): Tensor {
    const ctx = forwardOptions(training);
    const y = add(this.wide.call(this.wideFront.call(inputs)), this.deepHead.call(this.deep.call(this.deepFront.call(inputs), ctx)));
    return y.shape[1] === 1 ? reshape(y, [y.shape[0]]) : y;
  }
}
