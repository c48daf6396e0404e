export * from './model.js';
export * from './linear-models.js';
export { Mlp, type MlpConfig } from './mlp.js';
export { WideDeep, type WideDeepConfig } from './wide-deep.js';
export { TwoTower, type TwoTowerConfig } from './two-tower.js';
export { buildTower, type TowerConfig } from './tower.js';
export { createModel, MODEL_KINDS, type ModelSpec } from './create-model.js';
