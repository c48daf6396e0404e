export * from './model.js';
export * from './linear-models.js';
export { Mlp, type MlpConfig } from './mlp.js';
export { WideDeep, type WideDeepConfig } from './wide-deep.js';
export { TwoTower, type TwoTowerConfig } from './two-tower.js';
export { buildTower, DEFAULT_HIDDEN_UNITS, DEFAULT_TWO_TOWER_OUTPUT_DIM, type TowerConfig } from './tower.js';
export { createModel, MODEL_KINDS, type ModelSpec } from './create-model.js';
export {
  buildModelSpec, cannedTask, cardinalityBound, layoutOf, ModelSetupError,
  DENSE_INPUT, USER_DENSE_INPUT, ITEM_DENSE_INPUT, type CannedTask, type InputLayout,
} from './canned-model-spec.js';
export { countParameters, type ParameterCount } from './parameter-count.js';
