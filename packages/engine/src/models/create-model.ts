// kind + config → model. The bundle loader and training jobs construct models only through here.
import { LinearRegression, LogisticRegression, SoftmaxRegression, type LinearConfig, type LogisticConfig, type SoftmaxConfig } from './linear-models.js';
import { Mlp, type MlpConfig } from './mlp.js';
import type { CannedModel, ModelKind } from './model.js';
import { TwoTower, type TwoTowerConfig } from './two-tower.js';
import { WideDeep, type WideDeepConfig } from './wide-deep.js';
import type { GbdtModelConfig } from '../trees/gbdt-model.js';

export type ModelSpec =
  | { kind: 'linear'; config: LinearConfig }
  | { kind: 'logistic'; config: LogisticConfig }
  | { kind: 'softmax'; config: SoftmaxConfig }
  | { kind: 'mlp'; config: MlpConfig }
  | { kind: 'wide_deep'; config: WideDeepConfig }
  | { kind: 'two_tower'; config: TwoTowerConfig }
  /** Boosted trees are grown by GbdtTrainer and loaded from bundles, never created empty here. */
  | { kind: 'gbdt'; config: GbdtModelConfig };

export const MODEL_KINDS: readonly ModelKind[] = ['linear', 'logistic', 'softmax', 'mlp', 'wide_deep', 'two_tower', 'gbdt'];

export function createModel(spec: ModelSpec): CannedModel {
  switch (spec.kind) {
    case 'linear':
      return new LinearRegression(spec.config);
    case 'logistic':
      return new LogisticRegression(spec.config);
    case 'softmax':
      return new SoftmaxRegression(spec.config);
    case 'mlp':
      return new Mlp(spec.config);
    case 'wide_deep':
      return new WideDeep(spec.config);
    case 'two_tower':
      return new TwoTower(spec.config);
    case 'gbdt':
      throw new Error('a gbdt model is grown by boosting (GbdtTrainer) or loaded from a bundle (loadBundle), not created empty');
    default:
      throw new Error(`unknown model kind '${(spec as { kind: string }).kind}' (known: ${MODEL_KINDS.join(', ')})`);
  }
}
