export { type Numbers, type ThresholdCounts, thresholdCounts } from './binary-counts.js';
export {
  rocAuc,
  averagePrecision,
  logLoss,
  accuracy,
  confusionMatrix,
  binaryPrecisionRecallF1,
  macroPrecisionRecallF1,
  thresholdLabels,
  argmaxRows,
  type PrecisionRecallF1,
} from './classification.js';
export { rocCurve, prCurve, downsampleIndices, type RocCurve, type PrCurve } from './curves.js';
export { calibrationBins, type CalibrationBins } from './calibration.js';
export { mse, rmse, mae, r2 } from './regression.js';
export { ndcgAtK, mapAtK, recallAtK, groupRows, listsToGroups, type RankingOptions } from './ranking.js';
export { computeTaskMetrics, type Task, type TaskMetricOptions } from './task-metrics.js';
