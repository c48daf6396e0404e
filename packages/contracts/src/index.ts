// @atelier/contracts: every shape that crosses a process, in one place. Imports nothing of ours.
export { INT4_MAX, Int32, ResourceName, VersionNumber } from './scalars.contract.js';
export { FeatureValue, Instance, PREDICT_LIMITS, PredictRequest, PredictResponse, RankRequest, RankResponse, type Prediction } from './predict.contract.js';
export {
  CONFIGURABLE_TASKS,
  MODEL_KINDS,
  MODEL_TASKS,
  ModelTask,
  TRAINING_TASKS,
  literalUnion,
  type ConfigurableTask,
  type ModelKind,
  type ModelTaskName,
  type TrainingTask,
} from './model-tasks.contract.js';
export {
  TRAINING_DEFAULTS,
  DEFAULT_TRANSFORMS,
  ROBUST_CLIP,
  coresOf,
  defaultEpochs,
  defaultPassesPerEpoch,
  defaultLearningRate,
  featureTransform,
  patienceEpochs,
  resolveTrainingSettings,
  type EarlyStoppingSettings,
  type LrScheduleSettings,
  type ResolvedEarlyStopping,
  type ResolvedLrSchedule,
  type SplitFractions,
  type TrainingSettings,
  type TrainingSettingsInput,
} from './training-defaults.contract.js';
export {
  Device,
  EvaluateJobSpec,
  FeatureSpec,
  GateThreshold,
  HYPERPARAMETERS_BY_KIND,
  SplitSpec,
  TrainJobSpec,
  TrainingJobRequest,
  isEvaluateSpec,
  type JobSpec,
  BATCH_PREDICTION_CHUNK_ROWS,
  BATCH_PREDICTION_OUTPUTS,
  BatchPredictJobSpec,
  BatchPredictionRequest,
  batchPredictionColumns,
  isBatchPredictSpec,
  type BatchPredictionOutput,
} from './training-job.contract.js';
export { compileContract, createJobSpecChecker, type ContractCheck, type ContractFieldError, type JobSpecCheck } from './contract-validator.js';
export {
  JOB_EVENT_TYPES,
  JOB_STATUSES,
  JOB_STREAM_SHUTDOWN_EVENT,
  JobLogEvent,
  JobMetricEvent,
  JobStateEvent,
  JobStatusSchema,
  type JobEventPayloads,
  type JobEventType,
  type JobStatus,
} from './job-events.contract.js';
export {
  SearchParameter,
  SearchSpace,
  SpecPath,
  TRIAL_STATES,
  TUNING_DIRECTIONS,
  TUNING_EVENT_TYPES,
  TUNING_STATUSES,
  TuningEarlyStopping,
  TuningJobRequest,
  TuningObjective,
  TuningStrategy,
  defaultDirection,
  defaultObjectiveMetric,
  type TrialState,
  type TuningDirection,
  type TuningEventPayloads,
  type TuningEventType,
  type TuningJobSpec,
  type TuningStatus,
} from './tuning-job.contract.js';
export { NOTIFY_CHANNELS, type DeploymentNotice, type NotifyChannel } from './notify-channels.contract.js';
export { DATASET_FILE_EXTENSIONS, artifactKeys, parseArtifactKey, type BundleFormat, type DatasetFileFormat } from './artifact-keys.contract.js';
export { CLIENT_CODES, ERROR_CODES, PROCESS_CODES, statusOfCode, type ErrorCode } from './error-codes.contract.js';
export {
  BinCounts,
  CategoricalReference,
  FeatureReference,
  MAX_MONITORED_FEATURES,
  MONITORING_CHECKS,
  MonitoringReference,
  MonitoringWindowCounts,
  NumericReference,
  PREDICTION_FEATURE,
  type MonitoringCheck,
} from './monitoring.contract.js';
export { predictionLogKeys, type PredictionLogRecord } from './prediction-log.contract.js';
export { JobPlacement, JobPlacementGpu } from './job-placement.contract.js';
