// Two-tower retrieval: user and item towers map to a shared space; the score is their dot
// product. Training uses in-batch negatives (every other item in the batch) with softmax CE.
import { Dense } from '../layers/dense.js';
import { FeatureInputs, type FeatureInput, type ModelInputs } from '../layers/feature-inputs.js';
import { Module } from '../layers/module.js';
import type { Sequential } from '../layers/sequential.js';
import { div, mul, sqrt, sum, add } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { Random } from '../util/random.js';
import { forwardOptions, type CannedModel, type ForwardOptions } from './model.js';
import { buildTower, DEFAULT_HIDDEN_UNITS, DEFAULT_TWO_TOWER_OUTPUT_DIM, type TowerConfig } from './tower.js';

export interface TwoTowerConfig extends Partial<TowerConfig> {
  userInputs: FeatureInput[];
  itemInputs: FeatureInput[];
  /** Size of the shared embedding space; default 32. */
  outputDim?: number;
  /** Softmax temperature for in-batch negatives; default 0.1 (with L2-normalised embeddings). */
  temperature?: number;
  /** L2-normalise tower outputs (cosine similarity); default true. */
  normalize?: boolean;
  seed?: number;
}

class Tower extends Module {
  readonly front: FeatureInputs;
  readonly body: Sequential;
  readonly out: Dense;
  constructor(inputs: FeatureInput[], cfg: TwoTowerConfig, rng: Random) {
    super();
    this.front = this.addChild('inputs', new FeatureInputs(inputs, rng));
    const { tower, outputDim } = buildTower(this.front.width, { ...cfg, hiddenUnits: cfg.hiddenUnits ?? [...DEFAULT_HIDDEN_UNITS.two_tower] }, rng);
    this.body = this.addChild('body', tower);
    this.out = this.addChild('out', new Dense(outputDim, { units: cfg.outputDim ?? DEFAULT_TWO_TOWER_OUTPUT_DIM }, rng));
  }
}

function l2Normalize(x: Tensor): Tensor {
  return div(x, sqrt(add(sum(mul(x, x), 1, true), 1e-12)));
}

export class TwoTower extends Module implements CannedModel<TwoTowerConfig> {
  readonly kind = 'two_tower' as const;
  readonly task = 'retrieval' as const;
  readonly user: Tower;
  readonly item: Tower;

  constructor(readonly config: TwoTowerConfig) {
    super();
    const rng = new Random(config.seed ?? 0);
    this.user = this.addChild('user', new Tower(config.userInputs, config, rng));
    this.item = this.addChild('item', new Tower(config.itemInputs, config, rng));
  }

  get temperature(): number {
    return this.config.temperature ?? 0.1;
  }

  get features(): FeatureInput[] {
    return [...this.config.userInputs, ...this.config.itemInputs];
  }

  private embed(t: Tower, inputs: ModelInputs, ctx: ForwardOptions): Tensor {
    const e = t.out.call(t.body.call(t.front.call(inputs), ctx));
    return this.config.normalize === false ? e : l2Normalize(e);
  }

  userEmbedding(inputs: ModelInputs, training: boolean | ForwardOptions = false): Tensor {
    return this.embed(this.user, inputs, forwardOptions(training));
  }

  itemEmbedding(inputs: ModelInputs, training: boolean | ForwardOptions = false): Tensor {
    return this.embed(this.item, inputs, forwardOptions(training));
  }

  /** Score of each row's (user, item) pair: [N]. */
  forward(inputs: ModelInputs, training: boolean | ForwardOptions): Tensor {
    const ctx = forwardOptions(training);
    return sum(mul(this.userEmbedding(inputs, ctx), this.itemEmbedding(inputs, ctx)), 1);
  }
}
