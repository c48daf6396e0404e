export { fit, trainStep, evaluateLoss, type FitOptions, type FitResult, type StepEvent, type BatchSource } from './fit.js';
export { DivergenceError } from './errors.js';
export { defaultLoss, type LossFn } from './model-loss.js';
export { batchesFromArrays, type ArrayData, type ArrayBatchOptions, type ArrayBatches } from './batches.js';
export { snapshotWeights, restoreWeights, CHECKPOINT_FORMAT_VERSION, type Checkpoint, type EpochLog, type EarlyStoppingState } from './checkpoint.js';
export { featureInputsFor, batchFromTransform, DEFAULT_DENSE_INPUT, type PreprocessedShape, type PreprocessedInputOptions } from './preprocessed-inputs.js';
