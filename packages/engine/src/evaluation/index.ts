export {
  evaluateModel,
  primaryMetricFor,
  type EvaluateModelInput,
  type EvaluationCurves,
  type EvaluationResult,
  type EvaluationSlices,
  type EvaluationTask,
  type FeatureImportance,
  type PredictFn,
  type PrimaryMetric,
  type SliceMetrics,
} from './evaluate-model.js';
export {
  applyBlessingGate,
  type GateCheck,
  type GateCheckKind,
  type GateResult,
  type GateThreshold,
  type GateVerdict,
  type MetricDirection,
} from './blessing-gate.js';
