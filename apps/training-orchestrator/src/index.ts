// @atelier/training-orchestrator: the training worker. `start(config, { catalog, artifacts })` registers
// a worker, claims jobs, runs them in worker threads and returns a handle with stop().
export { start, type OrchestratorDeps, type OrchestratorHandle } from './orchestrator.js';
export { orchestratorConfigFromEnv, defaultOrchestratorConfig, type OrchestratorConfig } from './orchestrator.config.js';
export { runTraining, holdoutRows, splitRows, type TrainingOutcome, type EpochReport, type TrainingTable } from './training-core.js';
export { encodeCheckpoint, decodeCheckpoint, CHECKPOINT_CODEC } from './checkpoint-codec.js';
export { bundlePredictFn } from './evaluation-core.js';
export { LeaseLostError, JobFailure } from './errors.js';
export { startTuningController, StudyRunner, trialObjective, trialCurve, workerCapacity, completionOrder } from './tuning-controller.js';
