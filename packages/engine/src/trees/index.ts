// Histogram gradient-boosted trees (see README: "Gradient-boosted trees").
export { QuantileBinner, quantileCuts, MAX_BINS, type BinnerJSON, type FeatureBins } from './binning.js';
export { buildHistogramTs, subtractHistogram, histogramSize, BIN_STRIDE, type HistogramKernel } from './histogram.js';
export { findBestSplit, leafWeight, leafScore, thresholdL1, type SplitCandidate, type SplitParams } from './split-finder.js';
export { TreeBuilder, type GrowPolicy, type TreeParams } from './tree-builder.js';
export { TreeEnsemble, type TreeEnsembleArrays, type NodeSpec } from './tree-ensemble.js';
export { encodeEnsemble, decodeEnsemble, EnsembleFormatError } from './ensemble-codec.js';
export { createObjective, queryGroups, type GbdtObjectiveName, type Objective } from './objectives.js';
export {
  GbdtTrainer, trainGbdt, gbdtParamProblems, GBDT_DEFAULTS, type GbdtParams, type GbdtInput, type GbdtDataset, type GbdtCheckpoint, type RoundLog,
} from './gbdt-trainer.js';
export { GbdtModel, gainImportance, featureKinds, featureMatrix, type GbdtModelConfig } from './gbdt-model.js';
export { treeShap, meanAbsShap, type ShapResult } from './tree-shap.js';
export { gbdtParamsFromHyperparameters, GBDT_JOB_DEFAULTS } from './gbdt-hyperparameters.js';
